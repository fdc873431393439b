import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { disagreements, disagreementsByLag } from "../src/bit-lags.js";

/** The definition: bit i against bit i + lag, bits past the stream's end zero. */
function byDefinition(bits: Uint32Array, lag: number, pairs: number): number {
  const bit = (index: number) => ((bits[index >>> 5] ?? 0) >>> (index & 31)) & 1;
  let count = 0;
  for (let index = 0; index < pairs * 32; index++) count += bit(index) ^ bit(index + lag);
  return count;
}

describe("disagreements of a bit stream with itself by lag", () => {
  it("counts every lag as the definition does, whatever the lengths", () => {
    const random = seededRandom(11);
    for (const [words, lags, pairs] of [
      [256, 512, 64],
      [1024, 4096, 64],
      [100, 300, 64],
      [70, 40, 63],
      [3, 100, 4],
      [4096, 33, 4000],
      [8, 5, 0],
    ] as const) {
      const bits = new Uint32Array(words).map(() => Math.floor(random() * 2 ** 32));
      // A periodic stretch, so some lags agree far more than chance.
      for (let word = 0; word < Math.min(words, 40); word++) bits[word] = 0x9249_2492 >>> (word % 3);
      const all = [...disagreementsByLag(bits, lags, pairs)];
      expect(all.length).toBe(lags);
      for (let lag = 1; lag <= lags; lag++) {
        expect(disagreements(bits, lag, pairs), `${words} ${lag} ${pairs}`).toBe(all[lag - 1]);
        if (lag % 37 === 1 || lag <= 40)
          expect(all[lag - 1], `${words} ${lag} ${pairs}`).toBe(byDefinition(bits, lag, pairs));
      }
    }
  });
});
