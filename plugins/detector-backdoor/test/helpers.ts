import { readFileSync } from "node:fs";
import type { Plugin, ReportInput, ScanLevel, TensorDType } from "@modelaudit/core";
import { driveDetector, scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import gguf from "@modelaudit/format-gguf";
import onnx from "@modelaudit/format-onnx";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import safetensors from "@modelaudit/format-safetensors";
import { backdoorDetector } from "../src/backdoor-detector.js";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/backdoor/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  rules: string[];
  hides: string | null;
  description: string;
  /** "thorough": found only by the thorough level's checks (clean at standard). */
  level?: "thorough";
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8")) as ManifestEntry[];
}

/** The format plugins the fixtures need, and this detector. */
export const PLUGINS: Plugin[] = [safetensors, pickle, archive, pytorch, gguf, onnx, plugin];

export function scanFixture(
  file: string,
  level: ScanLevel = "standard",
  options: Record<string, unknown> = {},
): ReturnType<typeof scanPaths> {
  return scanPaths([new URL(file, FIXTURES).pathname], PLUGINS, { level, options: { backdoor: options } });
}

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

/** Uniform(-bound, bound) values, as torch's default Linear and Conv initialisation draws them. */
export function uniform(count: number, bound: number, seed: number): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: count }, () => (2 * next() - 1) * bound);
}

export interface SyntheticTensor {
  name: string;
  shape: number[];
  values: Float32Array | Int8Array;
  dtype?: TensorDType;
}

/** Drives the backdoor detector over tensors, as the engine's tensor channel would deliver them. */
export function drive(
  tensors: readonly SyntheticTensor[],
  options: { chunkSize?: number; options?: Record<string, unknown>; level?: ScanLevel } = {},
): ReportInput[] {
  return driveDetector(backdoorDetector, {
    tensors: tensors.map((tensor) => {
      const dtype = tensor.dtype ?? (tensor.values instanceof Int8Array ? "i8" : "f32");
      return {
        fact: {
          kind: "tensor",
          name: tensor.name,
          dtype,
          formatDtype: dtype.toUpperCase(),
          shape: tensor.shape,
          byteOrder: "little",
        },
        bytes: new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength),
      };
    }),
    chunkSize: options.chunkSize ?? 4 * 1024 * 1024,
    level: options.level ?? "standard",
    options: options.options ?? {},
  });
}

/** A linear layer [rows, columns] of uniform weights (torch's bound 1/√columns). */
export function linear(name: string, rows: number, columns: number, seed: number): SyntheticTensor {
  return { name, shape: [rows, columns], values: uniform(rows * columns, 1 / Math.sqrt(columns), seed) };
}

/** Multiplies row `row` of a layer by `factor`. */
export function scaleRow(tensor: SyntheticTensor, row: number, factor: number): SyntheticTensor {
  const values = Float32Array.from(tensor.values);
  const length = values.length / tensor.shape[0]!;
  for (let index = row * length; index < (row + 1) * length; index++) values[index]! *= factor;
  return { ...tensor, values };
}
