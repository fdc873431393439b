import { readFileSync } from "node:fs";
import type { TensorDType } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { floatDecoder } from "../src/decode.js";
import { ScaledBlocks } from "../src/scaled-blocks.js";
import { type StatisticsOptions, TensorStatistics } from "../src/statistics.js";
import { FIXTURES } from "./fixtures.js";

const GGUF = new URL("../../../tooling/fixtures/gguf/", import.meta.url).pathname;

/** A seeded generator of bytes (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Scales a quantizer writes: positive and negative halves of 2^-14 .. 2^-4. */
function typicalScale(next: () => number): number {
  return ((next() & 1) << 15) | ((1 + (next() % 11)) << 10) | (next() & 0x3ff);
}

/** Scales nobody writes but a hostile file may: ±0, subnormals, NaN, ±Inf, the largest half. */
const ODD_SCALES = [0x0000, 0x8000, 0x0001, 0x83ff, 0x0200, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe01];

/** q8_0 blocks with random quants (every int8, -128 included) and the given scales. */
function q8Blocks(blocks: number, seed: number, scale: (block: number, next: () => number) => number): Uint8Array {
  const next = random(seed);
  const bytes = new Uint8Array(blocks * 34);
  for (let block = 0; block < blocks; block++) {
    const d = scale(block, next);
    bytes[block * 34] = d & 0xff;
    bytes[block * 34 + 1] = d >>> 8;
    for (let j = 0; j < 32; j++) bytes[block * 34 + 2 + j] = next() & 0xff;
  }
  return bytes;
}

/** Feeds `bytes` in chunks of `chunk` bytes, copied to an odd offset when `odd` (the misaligned case). */
function statisticsOf(
  dtype: TensorDType,
  shape: number[],
  bytes: Uint8Array,
  options: StatisticsOptions,
  chunk: number,
  odd = false,
): TensorStatistics {
  const statistics = new TensorStatistics(dtype, shape, options);
  let data = bytes;
  if (odd) {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    data = shifted.subarray(1);
  }
  for (let at = 0; at < data.length; at += chunk) statistics.data(data.subarray(at, at + chunk), at);
  statistics.end(true);
  return statistics;
}

/** The plain path: the same values decoded to float32 first, then read as an f32 tensor. */
function plainOf(shape: number[], bytes: Uint8Array, options: StatisticsOptions): TensorStatistics {
  const values = floatDecoder("q8_0")!.decode(bytes) as Float32Array;
  const floats = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  return statisticsOf("f32", shape, floats, options, 1 << 20);
}

function expectClose(actual: number, wanted: number, relative: number): void {
  if (!Number.isFinite(wanted)) {
    expect(actual).toBe(wanted);
    return;
  }
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(relative * Math.abs(wanted) + Number.MIN_VALUE);
}

/**
 * Everything exact but the float64 sums (mean, variance, norms: another summation order). The
 * median sketch samples windows, which follow chunks: its figures are compared when both paths
 * cut the same windows (`sameWindows`) or read every value.
 */
function expectSame(fast: TensorStatistics, plain: TensorStatistics, sameWindows: boolean, variance: number): void {
  for (const key of ["elements", "finite", "nan", "positiveInfinity", "negativeInfinity", "zeros"] as const) {
    expect(fast[key], key).toBe(plain[key]);
  }
  // toBe is Object.is: the sign of a zero extreme counts too.
  expect(fast.min).toBe(plain.min);
  expect(fast.max).toBe(plain.max);
  if (sameWindows) {
    expect(fast.median).toBe(plain.median);
    expect(fast.mad).toBe(plain.mad);
    expect(fast.robustExact).toBe(plain.robustExact);
  }
  // The mean to 1e-12 of the values' scale: a mean near 0 of values up to 8e6 is a sum that cancels.
  const scale = Math.abs(plain.mean) + plain.standardDeviation;
  expect(Math.abs(fast.mean - plain.mean)).toBeLessThanOrEqual(1e-12 * scale + Number.MIN_VALUE);
  expectClose(fast.variance, plain.variance, variance);
  const rows = fast.rows;
  const plainRows = plain.rows;
  if (rows === null || plainRows === null) {
    expect(rows).toBe(plainRows);
    return;
  }
  expect(rows.kept).toBe(plainRows.kept);
  const norms = rows.norms();
  plainRows.norms().forEach((norm, row) => {
    expectClose(norms[row]!, norm, 1e-12);
  });
  expect(Array.from(rows.maximumValues())).toEqual(Array.from(plainRows.maximumValues()));
  expect(Array.from(rows.maximumPositions())).toEqual(Array.from(plainRows.maximumPositions()));
  expect(Array.from(rows.positives)).toEqual(Array.from(plainRows.positives));
  expect(Array.from(rows.zeros)).toEqual(Array.from(plainRows.zeros));
  expect(Array.from(rows.samples)).toEqual(Array.from(plainRows.samples));
}

/** `variance`: relative tolerance (values spanning 2^-24 .. 2^23 cancel in either path's plain sums). */
function compare(
  shape: number[],
  bytes: Uint8Array,
  options: StatisticsOptions = {},
  variance = 1e-10,
): TensorStatistics {
  const plain = plainOf(shape, bytes, options);
  // Whole windows, blocks split across chunks, and a misaligned copy (quants read as halfwords).
  for (const [chunk, odd] of [
    [1 << 20, false],
    [34 * 7, false],
    [34 * 600, true],
  ] as const) {
    const sameWindows = (options.robustEvery ?? 1) === 1 || chunk === 1 << 20;
    expectSame(statisticsOf("q8_0", shape, bytes, options, chunk, odd), plain, sameWindows, variance);
  }
  return plain;
}

describe("q8_0 statistics from integer block sums, against the plain float path", () => {
  it("typical scales, at standard (sampled median) and thorough", () => {
    const bytes = q8Blocks(64 * 24, 7, (_block, next) => typicalScale(next));
    for (const options of [{ robustEvery: 16 }, {}, { exactValues: 1 << 16 }]) compare([64, 768], bytes, options);
  });

  it("zero, negative-zero, subnormal, largest, NaN and infinite scales among typical ones", () => {
    const bytes = q8Blocks(40 * 12, 11, (block, next) =>
      block % 5 === 2 ? ODD_SCALES[next() % ODD_SCALES.length]! : typicalScale(next),
    );
    const plain = compare([40, 384], bytes, {}, 1e-8);
    expect(plain.nonFinite).toBeGreaterThan(0);
    // Finite odd scales alone: every window goes the integer way.
    const finite = q8Blocks(40 * 12, 12, (block, next) =>
      block % 3 === 0 ? ODD_SCALES[next() % 7]! : typicalScale(next),
    );
    compare([40, 384], finite, {}, 1e-8);
  });

  it("all scales zero: every value ±0, the extremes' signs as the plain path's", () => {
    compare(
      [8, 64],
      q8Blocks(16, 3, (block) => (block % 2 === 0 ? 0x8000 : 0x0000)),
    );
    compare(
      [8, 64],
      q8Blocks(16, 4, (block) => (block % 2 === 0 ? 0x0000 : 0x8000)),
    );
  });

  it("quants as ggml's quantizer writes them (max |q| = 127, no -128), equal and growing scales", () => {
    const next = random(17);
    const bytes = q8Blocks(64 * 16, 8, (block) => (block < 512 ? 0x2000 : 0x1c00 + block));
    for (let block = 0; block < 64 * 16; block++) {
      for (let j = 0; j < 32; j++) bytes[block * 34 + 2 + j] = (next() % 255) - 127;
      bytes[block * 34 + 2 + (next() % 32)] = next() & 1 ? 127 : 0x81;
    }
    compare([64, 512], bytes);
    compare([64 * 512], bytes);
    // One scale for all and random quants: a -128 beats the 127s before it.
    compare(
      [64, 512],
      q8Blocks(64 * 16, 9, () => 0x2000),
    );
    compare(
      [64, 512],
      q8Blocks(64 * 16, 10, () => 0xa000),
    );
  });

  it("past the kept rows, and without rows", () => {
    const bytes = q8Blocks(100 * 2, 5, (_block, next) => typicalScale(next));
    compare([100, 64], bytes, { maxRows: 3 });
    compare([6400], bytes);
    compare([100, 2, 32], bytes);
  });

  it("the tensor-statistics fixture's q8_0 blocks", () => {
    const bytes = new Uint8Array(readFileSync(`${FIXTURES}decode/q8_0.bin`));
    expect(bytes.length).toBe(16 * 34);
    compare([4, 128], bytes);
    compare([16, 32], bytes);
  });

  it("a real GGUF file's q8_0 tensor (token_embd of the tiny llama)", () => {
    const { shape, bytes } = ggufTensor(`${GGUF}tiny_llama_v3.gguf`, "token_embd.weight");
    expect(shape).toEqual([4, 32]);
    const plain = compare(shape, bytes);
    expect(plain.finite).toBe(128);
  });
});

describe("ScaledBlocks per-block sums", () => {
  it("equal the quants' sums, squares, zero and positive counts and -128 flags, read one byte at a time", () => {
    const blocks = ScaledBlocks.for("q8_0", 512)!;
    const next = random(99);
    const bytes = q8Blocks(512, 21, (_block, n) => typicalScale(n));
    // Runs of zeros, -128 and 127 besides the random quants.
    for (let block = 0; block < 512; block += 4)
      bytes.fill([0, 0x80, 0x7f][next() % 3]!, block * 34 + 2 + (next() % 16), block * 34 + 34);
    expect(blocks.read(bytes)).toBe(true);
    expect(blocks.count).toBe(512);
    for (let block = 0; block < 512; block++) {
      let sum = 0;
      let squares = 0;
      let zeros = 0;
      let positives = 0;
      let minus128 = 0;
      for (let j = 0; j < 32; j++) {
        const q = (bytes[block * 34 + 2 + j]! << 24) >> 24;
        sum += q;
        squares += q * q;
        zeros += q === 0 ? 1 : 0;
        positives += q > 0 ? 1 : 0;
        if (q === -128) minus128 = 1;
      }
      expect([
        blocks.sums[block],
        blocks.squares[block],
        blocks.zeroQuants[block],
        blocks.positiveQuants[block],
        blocks.hasMinus128[block],
      ]).toEqual([sum, squares, zeros, positives, minus128]);
    }
  });

  it("refuses a window with a NaN or infinite scale, and is offered only for q8_0", () => {
    const blocks = ScaledBlocks.for("q8_0", 4)!;
    for (const scale of [0x7c00, 0xfc00, 0x7e00]) {
      expect(blocks.read(q8Blocks(4, 1, (block, next) => (block === 3 ? scale : typicalScale(next))))).toBe(false);
    }
    expect(ScaledBlocks.for("q4_0", 4)).toBeNull();
    expect(ScaledBlocks.for("f32", 4)).toBeNull();
  });
});

/** A tensor's shape (row-major: GGUF lists dimensions fastest first) and bytes from a little-endian GGUF v2/v3 file. */
function ggufTensor(path: string, wanted: string): { shape: number[]; bytes: Uint8Array } {
  const file = readFileSync(path);
  let at = 4;
  const u32 = () => {
    at += 4;
    return file.readUInt32LE(at - 4);
  };
  const u64 = () => {
    at += 8;
    return Number(file.readBigUInt64LE(at - 8));
  };
  const text = () => {
    const length = u64();
    at += length;
    return file.toString("utf8", at - length, at);
  };
  const SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  let alignment = 32;
  const skip = (type: number): number | undefined => {
    if (type === 8) {
      text();
      return undefined;
    }
    if (type === 9) {
      const itemType = u32();
      const count = u64();
      for (let item = 0; item < count; item++) skip(itemType);
      return undefined;
    }
    const value = type === 4 ? file.readUInt32LE(at) : undefined;
    at += SIZES[type]!;
    return value;
  };
  expect(u32()).toBe(3);
  const tensors = u64();
  const pairs = u64();
  for (let pair = 0; pair < pairs; pair++) {
    const key = text();
    const value = skip(u32());
    if (key === "general.alignment" && value !== undefined) alignment = value;
  }
  let found: { shape: number[]; type: number; offset: number } | null = null;
  for (let tensor = 0; tensor < tensors; tensor++) {
    const name = text();
    const dims = Array.from({ length: u32() }, () => u64());
    const type = u32();
    const offset = u64();
    if (name === wanted) found = { shape: dims.reverse(), type, offset };
  }
  expect(found?.type).toBe(8); // GGML_TYPE_Q8_0
  const start = Math.ceil(at / alignment) * alignment + found!.offset;
  const elements = found!.shape.reduce((product, dimension) => product * dimension, 1);
  return { shape: found!.shape, bytes: new Uint8Array(file.subarray(start, start + (elements / 32) * 34)) };
}
