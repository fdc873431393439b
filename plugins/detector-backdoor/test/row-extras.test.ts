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

describe("RowExtras column norms of q8_0 weights", () => {
  it("from the raw blocks equal those of the decoded values, over the kept rows only", () => {
    // 40 rows of 128 values (4 blocks a row), scales of 1/64 with random quants.
    const [rows, inputs] = [40, 128];
    const bytes = new Uint8Array(rows * (inputs / 32) * 34);
    for (let block = 0; block < bytes.length / 34; block++) {
      bytes.set([0x00, 0x24], block * 34);
      for (let j = 0; j < 32; j++) bytes[block * 34 + 2 + j] = (block * 37 + j * 11) & 0xff;
    }
    for (const maxRows of [40, 7]) {
      // Without largest values the blocks are squared from their bytes; with them, decoded first.
      const raw = new RowExtras("q8_0", [rows, inputs], false, true, maxRows);
      const decoded = new RowExtras("q8_0", [rows, inputs], true, true, maxRows);
      for (let at = 0; at < bytes.length; at += 3 * 34) {
        raw.data(bytes.subarray(at, at + 3 * 34), at);
        decoded.data(bytes.subarray(at, at + 3 * 34), at);
      }
      expect(raw.columns).toHaveLength(inputs);
      expect([...(raw.columns ?? [])]).toEqual([...(decoded.columns ?? [])]);
      const first = (raw.columns?.[0] ?? 0) * 64 * 64;
      // Column 0 is the first quant of every row's first block: block 4·row, quant (148·row) & 0xff.
      let expected = 0;
      for (let row = 0; row < maxRows; row++) {
        const q = (((row * 4 * 37) & 0xff) << 24) >> 24;
        expected += q * q;
      }
      expect(first).toBe(expected);
    }
  });
});

describe("RowExtras largest values per row", () => {
  /** The 16 largest finite |values| of a row, signed, largest first, earlier first among ties: by sorting. */
  function largest(row: ArrayLike<number>): number[] {
    return Array.from(row)
      .map((value, index) => ({ value, index }))
      .filter(({ value }) => Number.isFinite(value))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.index - b.index)
      .slice(0, 16)
      .map(({ value }) => value);
  }

  it("keeps each row's 16 largest magnitudes with their signs, however the data is chunked", () => {
    const shape = [9, 300];
    const values = Float32Array.from({ length: 9 * 300 }, (_, index) => Math.sin(index * 12.9898) * 43.7 - 20);
    // Ties, a short row of equal values, and values no weight holds.
    values.fill(2.5, 300, 600);
    values[605] = Number.NaN;
    values[606] = Number.POSITIVE_INFINITY;
    values[607] = Number.NEGATIVE_INFINITY;
    values[608] = -1e6;
    const bytes = new Uint8Array(values.buffer);
    for (const chunkValues of [1, 7, 300, 301, values.length]) {
      const extras = new RowExtras("f32", shape, true, false);
      for (let at = 0; at < bytes.length; at += chunkValues * 4)
        extras.data(bytes.subarray(at, at + chunkValues * 4), at);
      for (let row = 0; row < shape[0]!; row++) {
        expect(Array.from(extras.top?.row(row) ?? [])).toEqual(largest(values.subarray(row * 300, (row + 1) * 300)));
      }
    }
  });

  it("keeps fewer than 16 when a row is shorter", () => {
    const values = Float32Array.of(1, -3, 2, 0.5, -0.25, 4);
    const extras = new RowExtras("f32", [2, 3], true, false);
    extras.data(new Uint8Array(values.buffer), 0);
    expect(Array.from(extras.top?.row(0) ?? [])).toEqual([-3, 2, 1]);
    expect(Array.from(extras.top?.row(1) ?? [])).toEqual([4, 0.5, -0.25]);
  });
});
