import { describe, expect, it } from "vitest";
import { RowMaxima } from "../src/index.js";

describe("RowMaxima", () => {
  it("keeps each row's max |value| and its index, across window boundaries that split rows", () => {
    const values = new Float32Array([1, -5, 2, 0.5, 0, 0, 3, -3, 7, Number.NaN, -8, 1]);
    const maxima = RowMaxima.for([4, 3]);
    expect(maxima).not.toBeNull();
    maxima!.add(values.subarray(0, 4));
    maxima!.add(values.subarray(4, 7));
    maxima!.add(values.subarray(7));
    expect([...maxima!.values()]).toEqual([5, 0.5, 7, 8]);
    expect([...maxima!.positions()]).toEqual([1, 0, 2, 1]);
  });

  it("reads a convolution's output channels as rows, bounds the rows kept, and has no rows below rank 2", () => {
    const maxima = RowMaxima.for([3, 2, 2, 2], 2);
    expect([maxima?.rows, maxima?.rowLength, maxima?.kept, maxima?.truncated]).toEqual([3, 8, 2, true]);
    maxima!.add(new Float64Array(24).map((_, index) => (index === 13 ? -9 : index % 8)));
    expect([...maxima!.values()]).toEqual([7, 9]);
    expect(RowMaxima.for([5])).toBeNull();
    expect(RowMaxima.for([0, 4])).toBeNull();
  });
});
