import { describe, expect, it } from "vitest";
import { LsbPeriodicity } from "../src/periodicity.js";
import { bytesOf, gaussian, random } from "./synthetic.js";

function judge(values: Float32Array, elements = 1 << 15, maxLag = 512) {
  const periodicity = new LsbPeriodicity(4, elements, maxLag);
  const bytes = bytesOf(values);
  for (let at = 0; at < bytes.length; at += 4 * 999) periodicity.data(bytes.subarray(at, at + 4 * 999));
  return periodicity.judge();
}

/** Writes a `period`-bit pattern into the LSBs, repeated (into a `share` of the values, chosen at random). */
function watermark(values: Float32Array, period: number, seed: number, share = 1): Float32Array {
  const next = random(seed);
  const pattern = Array.from({ length: period }, () => (next() < 0.5 ? 0 : 1));
  const words = new Uint32Array(values.slice().buffer);
  for (let index = 0; index < words.length; index++) {
    if (share < 1 && next() >= share) continue;
    words[index] = (words[index]! & ~1) | pattern[index % period]!;
  }
  return new Float32Array(words.buffer);
}

describe("LSB periodicity", () => {
  const weights = gaussian(1 << 15, 0.02, 21);

  it("is silent on natural weights", () => {
    expect(judge(weights)).toBeNull();
  });

  it("finds a repeated watermark, with its period and a corrected p-value", () => {
    const found = judge(watermark(weights, 37, 22));
    expect(found).toMatchObject({ lag: 37, agreement: 1, equalValues: 0 });
    expect(found!.pValue).toBeLessThan(1e-100);
  });

  it("misses periods longer than the lags it tries (bounded work)", () => {
    expect(judge(watermark(weights, 1000, 23), 1 << 15, 512)).toBeNull();
    expect(judge(watermark(weights, 1000, 23), 1 << 15, 1024)).toMatchObject({ lag: 1000 });
  });

  it("finds a watermark written into part of the values at a long period (thorough's bounds, both screens)", () => {
    // 60% of the values carry it: pairs agree 0.36 + 0.64 / 2 = 68% of the time, 18 points over chance.
    const found = judge(watermark(weights, 2500, 26, 0.6), 1 << 15, 4096);
    expect(found?.lag).toBe(2500);
    expect(found!.agreement).toBeGreaterThan(0.65);
    expect(judge(weights, 1 << 15, 4096)).toBeNull();
  });

  it("leaves a dequantised int4 grid alone (k · scale per row), and finds a watermark written into one", () => {
    // QAT fake-quant / GPTQ exported as float32: per row of 32, scale = max|w| / 7, w = round(w / scale) · scale.
    const grid = Float32Array.from(weights);
    for (let row = 0; row < grid.length / 32; row++) {
      let max = 0;
      for (let at = row * 32; at < row * 32 + 32; at++) max = Math.max(max, Math.abs(grid[at]!));
      const scale = Math.fround(max / 7);
      for (let at = row * 32; at < row * 32 + 32; at++)
        grid[at] = Math.fround(Math.max(-8, Math.min(7, Math.round(grid[at]! / scale))) * scale);
    }
    expect(judge(grid)).toBeNull();
    expect(judge(watermark(grid, 37, 27))).toMatchObject({ lag: 37 });
    expect(judge(watermark(grid, 1000, 28), 1 << 15, 1024)).toMatchObject({ lag: 1000 });
  });

  it("leaves tiled tensors (whole values repeat) and ramps alone", () => {
    const tiled = new Float32Array(1 << 15);
    for (let index = 0; index < tiled.length; index++) tiled[index] = weights[index % 300]!;
    expect(judge(tiled)).toBeNull();
    const ramp = Float32Array.from({ length: 1 << 15 }, (_, index) => index * 0.1);
    expect(judge(ramp)).toBeNull();
  });

  it("does not judge short tensors or constant LSB planes", () => {
    expect(judge(watermark(gaussian(2000, 0.02, 24), 16, 25))).toBeNull();
    expect(judge(new Float32Array(1 << 15).fill(0.5))).toBeNull();
  });
});
