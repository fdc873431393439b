import type { Fact, ReportInput, TensorDType, TensorFact } from "@modelaudit/core";
import { driveDetector } from "@modelaudit/core/testing";
import { quantizationDetector } from "../src/index.js";

export interface TensorInput {
  name: string;
  dtype: TensorDType;
  shape: number[];
  bytes: Uint8Array;
}

export function fact(input: Omit<TensorInput, "bytes">): TensorFact {
  return {
    kind: "tensor",
    name: input.name,
    dtype: input.dtype,
    formatDtype: input.dtype.toUpperCase(),
    shape: input.shape,
    byteOrder: "little",
  };
}

/** Drives the detector the engine's way: tensor facts first (with any config facts), then each tensor's data. */
export function drive(
  tensors: readonly TensorInput[],
  options: { facts?: Fact[]; options?: Record<string, unknown>; chunkSize?: number } = {},
): ReportInput[] {
  const facts = tensors.map((tensor) => fact(tensor));
  return driveDetector(quantizationDetector, {
    facts: [...facts, ...(options.facts ?? [])],
    tensors: tensors.map((tensor, index) => ({ fact: facts[index]!, bytes: tensor.bytes })),
    ...(options.options ? { options: options.options } : {}),
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    level: "thorough",
  });
}

export const f32 = (values: ArrayLike<number>) => new Uint8Array(Float32Array.from(values).buffer);
export const i8 = (values: ArrayLike<number>) => new Uint8Array(Int8Array.from(values).buffer);
export const u8 = (values: ArrayLike<number>) => Uint8Array.from(values);
export const i32 = (values: ArrayLike<number>) => new Uint8Array(Int32Array.from(values).buffer);

/** Deterministic normal-ish values (sum of uniforms) from a small LCG. */
export function gaussian(count: number, seed = 1, scale = 0.05): Float32Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    out[index] = (uniform() + uniform() + uniform() + uniform() - 2) * scale;
  }
  return out;
}

/** Per-row symmetric int8 quantization as compressed-tensors does it: values and scales. */
export function quantizeRows(values: Float32Array, rows: number): { quants: Int8Array; scales: Float32Array } {
  const length = values.length / rows;
  const quants = new Int8Array(values.length);
  const scales = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let max = 0;
    for (let column = 0; column < length; column++) max = Math.max(max, Math.abs(values[row * length + column]!));
    const scale = max / 127;
    scales[row] = scale;
    for (let column = 0; column < length; column++) {
      quants[row * length + column] = Math.max(-127, Math.min(127, Math.round(values[row * length + column]! / scale)));
    }
  }
  return { quants, scales };
}

export const summary = (reports: ReportInput[]) => reports.map((report) => [report.rule, report.messageId]);
