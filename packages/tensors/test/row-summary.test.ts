import { describe, expect, it } from "vitest";
import { ROW_SAMPLES, RowSummary } from "../src/index.js";

describe("RowSummary", () => {
  it("keeps each row's norm, max |value| and its index, signs, zeros and samples across windows that split rows", () => {
    const values = new Float32Array([1, -5, 2, 0.5, 0, 0, 3, -3, 7, Number.NaN, -8, 1]);
    const summary = RowSummary.for([4, 3]);
    expect(summary).not.toBeNull();
    summary!.add(values.subarray(0, 4));
    summary!.add(values.subarray(4, 7));
    summary!.add(values.subarray(7));
    expect([...summary!.maximumValues()]).toEqual([5, 0.5, 7, 8]);
    expect([...summary!.maximumPositions()]).toEqual([1, 0, 2, 1]);
    expect([...summary!.positives]).toEqual([2, 1, 2, 1]);
    expect([...summary!.zeros]).toEqual([0, 2, 0, 0]);
    const norms = summary!.norms();
    expect([norms[0], norms[1], norms[2]]).toEqual([Math.sqrt(30), 0.5, Math.sqrt(67)]);
    expect(norms[3]).toBeNaN();
  });

  it("samples the same coordinates however the data is chunked", () => {
    const values = Float64Array.from({ length: 6 * 40 }, (_, index) => Math.sin(index) * 10);
    const whole = RowSummary.for([6, 40])!;
    whole.add(values);
    const pieces = RowSummary.for([6, 40])!;
    for (let start = 0; start < values.length; start += 7) pieces.add(values.subarray(start, start + 7));
    expect([...pieces.samples]).toEqual([...whole.samples]);
    expect(whole.samples.length).toBe(6 * ROW_SAMPLES);
    for (const [sample, position] of whole.samplePositions.entries()) {
      expect(whole.samples[ROW_SAMPLES + sample]).toBe(values[40 + position]);
    }
    const norms = pieces.norms();
    for (const [row, norm] of whole.norms().entries()) expect(norms[row]).toBeCloseTo(norm, 9);
  });

  it("reads a convolution's output channels as rows, bounds the rows kept, and has no rows below rank 2", () => {
    const summary = RowSummary.for([3, 2, 2, 2], 2);
    expect([summary?.rows, summary?.rowLength, summary?.kept, summary?.truncated]).toEqual([3, 8, 2, true]);
    summary!.add(new Float64Array(24).map((_, index) => (index === 13 ? -9 : index % 8)));
    expect([...summary!.maximumValues()]).toEqual([7, 9]);
    expect(RowSummary.for([5])).toBeNull();
    expect(RowSummary.for([0, 4])).toBeNull();
  });
});
