import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { countBuckets, MedianSketch } from "../src/median-sketch.js";

/** The sketch's result over `values` with no bounds and with the values' own extremes as bounds. */
function bothWays(values: Float64Array) {
  const unbounded = new MedianSketch(16);
  const bounded = new MedianSketch(16);
  unbounded.add(values);
  bounded.add(values);
  let least = Number.POSITIVE_INFINITY;
  let greatest = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < least) least = value;
    if (value > greatest) greatest = value;
  }
  return { unbounded: unbounded.result(), bounded: bounded.result(least, greatest) };
}

describe("MedianSketch bounds", () => {
  it("gives the same median and MAD when told the values' extremes: signs, zeros of either sign, float32 overflow", () => {
    const random = seededRandom(3);
    const cases: number[][] = [
      Array.from({ length: 5000 }, () => (random() - 0.5) * 0.1),
      Array.from({ length: 5000 }, () => -random() * 3),
      Array.from({ length: 5000 }, () => random() * 1e-30),
      // -0 hides behind a bound of +0 and the other way round.
      Array.from({ length: 5000 }, (_, index) => (index % 10 < 3 ? -0 : index % 10 === 3 ? 0 : random())),
      Array.from({ length: 5000 }, (_, index) => (index % 10 < 3 ? 0 : index % 10 === 3 ? -0 : -random())),
      Array.from({ length: 5000 }, (_, index) => (index % 2 === 0 ? -0 : -random())),
      Array.from({ length: 5000 }, (_, index) => (index % 2 === 0 ? 1e300 : -1e300 * random())),
      Array.from({ length: 5000 }, () => 0),
    ];
    for (const values of cases) {
      const { unbounded, bounded } = bothWays(Float64Array.from(values));
      expect(bounded).toEqual(unbounded);
      expect(bounded.exact).toBe(false);
    }
  });
});

describe("countBuckets", () => {
  it("counts every pattern by its top 16 bits, four at a time and the rest one by one", () => {
    const random = seededRandom(8);
    for (let length = 0; length <= 11; length++) {
      // Few distinct buckets, so the same counter often comes up within one group of four.
      const bits = Uint32Array.from({ length }, () => (Math.floor(random() * 3) << 16) | Math.floor(random() * 65536));
      const counts = new Uint32Array(65536);
      countBuckets(bits, counts);
      const expected = new Uint32Array(65536);
      for (const pattern of bits) expected[pattern >>> 16]!++;
      expect(Array.from(counts.subarray(0, 4)), `length ${length}`).toEqual(Array.from(expected.subarray(0, 4)));
      expect(counts.reduce((total, count) => total + count, 0)).toBe(length);
    }
  });
});
