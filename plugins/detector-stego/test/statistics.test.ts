import { describe, expect, it } from "vitest";
import { LowBitHistogram, MIN_EXPECTED_Z } from "../src/low-bit-statistics.js";
import { erfc, formatP, lowerTail, upperTail } from "../src/p-value.js";
import { bytesOf, drive, gaussian, random, randomLowBits, toBf16, toF16 } from "./synthetic.js";

function judge(dtype: "f16" | "bf16" | "f32" | "i8", bytes: Uint8Array) {
  const histogram = new LowBitHistogram(dtype);
  // In uneven chunks, as the engine delivers them.
  const step = dtype === "f32" ? 4 * 1001 : dtype === "i8" ? 997 : 2 * 1003;
  for (let at = 0; at < bytes.length; at += step) histogram.data(bytes.subarray(at, at + step));
  return histogram.judge();
}

describe("p-values", () => {
  it("match the normal distribution, far tails included", () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(upperTail(1.959964)).toBeCloseTo(0.025, 5);
    expect(lowerTail(-3)).toBeCloseTo(0.0013499, 6);
    // P(Z > 10) = 7.62e-24: no rounding to zero.
    expect(upperTail(10) / 7.6199e-24).toBeCloseTo(1, 3);
    expect(formatP(0.5)).toBe("0.500");
    expect(formatP(3.2e-12)).toBe("3.20e-12");
    expect(formatP(0)).toBe("< 1e-300");
  });
});

describe("slope test (low bits against the density the high bits show)", () => {
  const weights = gaussian(1 << 17, 0.02, 1);

  it("passes natural float16 and bfloat16 weights at every depth", () => {
    expect(judge("f16", bytesOf(toF16(weights)))).toEqual([]);
    expect(judge("bf16", bytesOf(toBf16(weights)))).toEqual([]);
  });

  it("finds random low bits where the density gives the test power, with the numbers behind it", () => {
    const [f16] = judge("f16", bytesOf(randomLowBits(toF16(weights), 8, 2)));
    expect(f16).toMatchObject({ test: "slope", bits: 8 });
    expect(f16!.expected).toBeGreaterThanOrEqual(MIN_EXPECTED_Z);
    expect(Math.abs(f16!.statistic)).toBeLessThan(3);
    expect(f16!.pValue).toBeLessThan(1e-10);
    expect(f16!.lowEntropy).toBeGreaterThan(f16!.nextEntropy);
    const [bf16] = judge("bf16", bytesOf(randomLowBits(toBf16(weights), 4, 3)));
    expect(bf16).toMatchObject({ test: "slope", bits: 4 });
  });

  it("has no power, and so stays silent, where natural low bits are uniform (float16 LSB)", () => {
    expect(judge("f16", bytesOf(randomLowBits(toF16(weights), 1, 4)))).toEqual([]);
  });

  it("does not take a uniform initialisation's edge (a cliff) for a slope", () => {
    const next = random(5);
    const uniform = Float32Array.from({ length: 1 << 17 }, () => (next() * 2 - 1) * 0.0625);
    expect(judge("f16", bytesOf(toF16(uniform)))).toEqual([]);
    expect(judge("bf16", bytesOf(toBf16(uniform)))).toEqual([]);
  });

  it("reads int8 weights: natural quantized Gaussians pass, random low 2 bits do not", () => {
    const quantized = Int8Array.from(gaussian(1 << 17, 25, 6), (value) =>
      Math.max(-127, Math.min(127, Math.round(value))),
    );
    expect(judge("i8", bytesOf(quantized))).toEqual([]);
    const replaced = randomLowBits(new Uint8Array(quantized.buffer), 2, 7);
    expect(judge("i8", replaced)).toEqual([expect.objectContaining({ test: "slope", bits: 2 })]);
  });
});

describe("precision test (32-bit floats whose bits above the low k are zero)", () => {
  const coarse = new Float32Array(
    new Uint32Array(new Float32Array(gaussian(8192, 0.02, 8)).buffer).map((word) => word & 0xffff0000).buffer,
  );

  it("passes float32 converted from bfloat16, and full-precision float32", () => {
    expect(judge("f32", bytesOf(coarse))).toEqual([]);
    expect(judge("f32", bytesOf(gaussian(8192, 0.02, 9)))).toEqual([]);
  });

  it("passes values a few ulps from 1 (small mantissas, not coarse ones)", () => {
    const ones = Float32Array.from({ length: 8192 }, (_, index) => 1 + (index % 7) * 2 ** -23);
    expect(judge("f32", bytesOf(ones))).toEqual([]);
  });

  it("finds random low bits under zero middle bits", () => {
    const words = randomLowBits(new Uint32Array(coarse.buffer.slice(0)), 1, 10);
    const [anomaly] = judge("f32", bytesOf(words));
    expect(anomaly).toMatchObject({ test: "precision", bits: 1 });
    expect(anomaly!.pValue).toBeLessThan(1e-100);
  });
});

describe("precision test on large tensors (counting stops once it cannot fire)", () => {
  /** Float32 words: full-precision mantissas, or coarse (bfloat16-like) ones with a random low bit. */
  function words(count: number, seed: number, coarseFrom: number): Uint8Array {
    const next = random(seed);
    const out = new Uint32Array(count);
    for (let index = 0; index < count; index++) {
      const word = 0x3c000000 | Math.floor(next() * 0x800000);
      out[index] = index < coarseFrom ? word : (word & 0xffff0000) | (next() < 0.5 ? 1 : 0);
    }
    return bytesOf(out);
  }
  const count = 3 * 2 ** 20;

  function feed(bytes: Uint8Array): LowBitHistogram {
    const histogram = new LowBitHistogram("f32", bytes.length / 4);
    for (let at = 0; at < bytes.length; at += 4 * 65_536) histogram.data(bytes.subarray(at, at + 4 * 65_536));
    return histogram;
  }

  it("stops counting natural float32 two thirds of the way through, and passes it", () => {
    const histogram = feed(words(count, 20, count));
    expect(histogram.elements).toBeLessThanOrEqual(0.75 * count);
    expect(histogram.elements).toBeGreaterThan(0.6 * count);
    expect(histogram.judge()).toEqual([]);
  });

  it("counts to the end, and fires, when the coarse values with payload bits come last", () => {
    // 45% full-precision first: half the values counted could still have zero middle bits.
    const histogram = feed(words(count, 21, Math.floor(0.45 * count)));
    expect(histogram.elements).toBe(count);
    const [anomaly] = histogram.judge();
    expect(anomaly).toMatchObject({ test: "precision", bits: 1 });
  });
});

describe("the detector on synthetic tensors", () => {
  it("reports a statistical anomaly as a warning with its p-value and the tensor", () => {
    const [finding] = drive([
      { name: "layer.weight", dtype: "f16", bytes: bytesOf(randomLowBits(toF16(gaussian(1 << 17, 0.02, 11)), 8, 12)) },
    ]);
    expect(finding).toMatchObject({ rule: "low-bit-anomaly", messageId: "slope" });
    expect(finding?.data).toMatchObject({ tensor: "layer.weight", bits: 8, dtype: "F16" });
    expect(String(finding?.data?.pValue)).toMatch(/e-\d+$/);
    expect(finding?.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it("skips the statistics when asked, and never judges 64-bit integer tensors statistically", () => {
    const bytes = bytesOf(randomLowBits(toF16(gaussian(1 << 17, 0.02, 13)), 8, 14));
    expect(drive([{ name: "w", dtype: "f16", bytes }], { options: { statistics: false } })).toEqual([]);
    const positions = new BigInt64Array(8192).map((_, index) => BigInt(index));
    expect(drive([{ name: "position_ids", dtype: "i64", bytes: bytesOf(new Uint8Array(positions.buffer)) }])).toEqual(
      [],
    );
  });
});
