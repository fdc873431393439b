import type { ReportInput, TensorDType } from "@modelaudit/core";
import { driveDetector } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";
import { stegoDetector } from "../src/stego-detector.js";

/** A seeded PRNG (mulberry32): the tests' weights are the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(count: number, scale: number, seed: number): Float32Array {
  const next = random(seed);
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    out[index] = scale * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return out;
}

/** float32 → bfloat16 words, rounded to nearest even. */
export function toBf16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return Uint16Array.from(bits, (word) => (word + 0x7fff + ((word >>> 16) & 1)) >>> 16);
}

/** float32 → float16 words (normal range; the tests' weights are far from its limits). */
export function toF16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const view = new DataView(new ArrayBuffer(4));
  for (const [index, value] of values.entries()) {
    view.setFloat32(0, value);
    const bits = view.getUint32(0);
    const sign = (bits >>> 16) & 0x8000;
    const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    if (exponent <= 0) {
      out[index] = sign;
      continue;
    }
    const mantissa = bits & 0x7fffff;
    let half = sign | (exponent << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
    out[index] = half;
  }
  return out;
}

/** Replaces the low `bits` bits of every word with random bits. */
export function randomLowBits<T extends Uint8Array | Uint16Array | Uint32Array>(
  words: T,
  bits: number,
  seed: number,
): T {
  const next = random(seed);
  const mask = (1 << bits) - 1;
  const out = words.slice() as T;
  for (let index = 0; index < out.length; index++) {
    out[index] = ((out[index]! & ~mask) | Math.floor(next() * (mask + 1))) >>> 0;
  }
  return out;
}

export function bytesOf(words: Uint8Array | Uint16Array | Uint32Array | Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

const WIDTHS: Partial<Record<TensorDType, number>> = { f64: 8, f32: 4, f16: 2, bf16: 2, i8: 1, u8: 1, i16: 2, i64: 8 };

/** Drives the stego detector over tensors, as the engine's tensor channel would deliver them. */
export function drive(
  tensors: readonly { name: string; dtype: TensorDType; bytes: Uint8Array }[],
  options: { chunkSize?: number; level?: "standard" | "thorough"; options?: Record<string, unknown> } = {},
): ReportInput[] {
  return driveDetector(stegoDetector, {
    tensors: tensors.map((tensor) => ({
      fact: {
        kind: "tensor",
        name: tensor.name,
        dtype: tensor.dtype,
        formatDtype: tensor.dtype.toUpperCase(),
        shape: [tensor.bytes.length / (WIDTHS[tensor.dtype] ?? 1)],
        byteOrder: "little",
      },
      bytes: tensor.bytes,
    })),
    chunkSize: options.chunkSize ?? 4 * 1024 * 1024,
    level: options.level ?? "standard",
    options: options.options ?? {},
    identifyWith: [...(archive.formats ?? []), ...(executable.formats ?? []), ...(pickle.formats ?? [])],
  });
}
