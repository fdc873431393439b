import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TensorDType } from "@modelaudit/core";
import type { FloatWindow } from "../src/decode.js";

/** Written by tooling/fixtures/generate_tensor_stats_fixtures.py. */
export const FIXTURES = new URL("../../../tooling/fixtures/tensors-stats/", import.meta.url).pathname;

/** JSON numbers, with "nan", "inf" and "-inf" for the values JSON cannot spell. */
export type JsonNumber = number | "nan" | "inf" | "-inf";

export interface DecodeCase {
  dtype: TensorDType;
  file: string;
  count: number;
  output: "f32" | "f64";
  sha256: string;
  samples: [number, JsonNumber][];
  values?: JsonNumber[];
}

export interface StatisticsCase {
  dtype: TensorDType;
  shape: number[];
  file: string;
  elements: number;
  finite: number;
  nan: number;
  positive_infinity: number;
  negative_infinity: number;
  zeros: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
  median: number;
  mad: number;
  median_tolerance: number;
  mad_tolerance: number;
  rows?: { rows: number; row_length: number; first_norms: JsonNumber[] };
  low_byte?: number[];
  lsb?: { zeros: number; ones: number };
}

export const expected = JSON.parse(readFileSync(`${FIXTURES}expected.json`, "utf8")) as {
  decode: Record<string, DecodeCase>;
  statistics: Record<string, StatisticsCase>;
};

export function number(value: JsonNumber): number {
  if (value === "nan") return Number.NaN;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  return value;
}

/** The fixture's bytes in a fresh buffer (so aligned for every view). */
export function bytesOf(file: string): Uint8Array {
  const read = readFileSync(`${FIXTURES}${file}`);
  const bytes = new Uint8Array(read.length);
  bytes.set(read);
  return bytes;
}

/** SHA-256 of the window's little-endian bytes with every NaN as the canonical quiet NaN (as the generator hashes). */
export function canonicalSha256(values: FloatWindow): string {
  const copy = values.slice();
  if (copy instanceof Float32Array) {
    const bits = new Uint32Array(copy.buffer);
    for (let index = 0; index < copy.length; index++) if (Number.isNaN(copy[index])) bits[index] = 0x7fc00000;
  } else {
    const words = new Uint32Array(copy.buffer);
    for (let index = 0; index < copy.length; index++) {
      if (!Number.isNaN(copy[index])) continue;
      words[2 * index] = 0;
      words[2 * index + 1] = 0x7ff80000;
    }
  }
  return createHash("sha256").update(new Uint8Array(copy.buffer)).digest("hex");
}

/** Splits `bytes` into chunks of whole blocks of varied sizes, each copied to a fresh (aligned) buffer. */
export function chunksOf(bytes: Uint8Array, blockBytes: number, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let index = 0; at < bytes.length; index++) {
    const blocks = Math.max(1, sizes[index % sizes.length]!);
    const end = Math.min(bytes.length, at + blocks * blockBytes);
    chunks.push(bytes.slice(at, end));
    at = end;
  }
  return chunks;
}
