import { describe, expect, it } from "vitest";
import { RowExtras } from "../src/row-extras.js";

/** Squared norms of the input columns (dimension 1), computed directly. */
function columnNorms(values: Float32Array, shape: number[]): number[] {
  const [rows, inputs] = shape as [number, number];
  const run = values.length / rows / inputs;
  const norms = new Array<number>(inputs).fill(0);
  for (let row = 0; row < rows; row++) {
    for (let input = 0; input < inputs; input++) {
      for (let at = 0; at < run; at++) {
        const value = values[(row * inputs + input) * run + at]!;
        norms[input]! += value * value;
      }
    }
  }
  return norms;
}

describe("RowExtras column norms", () => {
  for (const shape of [
    [7, 13],
    [5, 3, 3, 3],
  ]) {
    it(`sums each input column over every row, however the data is chunked (${shape.join("x")})`, () => {
      const count = shape.reduce((product, extent) => product * extent, 1);
      const values = Float32Array.from({ length: count }, (_, index) => Math.sin(index * 1.7) * 0.3);
      const expected = columnNorms(values, shape);
      const bytes = new Uint8Array(values.buffer);
      for (const chunkValues of [1, 5, 11, count]) {
        const extras = new RowExtras("f32", shape, false, true);
        for (let at = 0; at < bytes.length; at += chunkValues * 4)
          extras.data(bytes.subarray(at, at + chunkValues * 4), at);
        const columns = Array.from(extras.columns ?? []);
        expect(columns).toHaveLength(shape[1]!);
        for (const [index, norm] of columns.entries()) expect(norm).toBeCloseTo(expected[index]!, 6);
      }
    });
  }
});
