import { describe, expect, it } from "vitest";
import { KEPT_EXTREMES, TensorStatistics } from "../src/index.js";

describe("kept extremes", () => {
  it("keeps the largest and smallest finite values in order, whatever the window boundaries", () => {
    const values = new Float32Array(100_000);
    for (let index = 0; index < values.length; index++) values[index] = Math.sin(index * 12.9898) * 0.5;
    values[777] = 40;
    values[99_000] = -35;
    values[5] = Number.NaN;
    const statistics = new TensorStatistics("f32", [values.length]);
    const bytes = new Uint8Array(values.buffer);
    statistics.data(bytes.subarray(0, 40_000), 0);
    statistics.data(bytes.subarray(40_000), 40_000);
    statistics.end(true);
    const { highs, lows, kept } = statistics.extremes();
    const finite = [...values].filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
    expect(kept).toBe(KEPT_EXTREMES);
    expect(highs).toEqual(finite.slice(-KEPT_EXTREMES).reverse());
    expect(lows).toEqual(finite.slice(0, KEPT_EXTREMES));
  });
});
