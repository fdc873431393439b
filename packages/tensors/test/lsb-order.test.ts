import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { lsbOrder } from "../src/lsb-order.js";

describe("the LSBs and order of consecutive words", () => {
  it("sets each word's LSB and counts rises and falls as defined, over any range", () => {
    const random = seededRandom(17);
    for (const length of [1, 7, 8, 9, 100, 8192, 32768 + 13, 70000]) {
      // Random words, runs of equal ones, and words either side of 2^31 (unsigned order).
      const values = new Uint32Array(length).map((_, index) =>
        index % 50 < 5 ? 7 : random() < 0.5 ? Math.floor(random() * 2 ** 32) : 2 ** 31 + (index % 3) - 1,
      );
      for (const [start, end] of [
        [0, length],
        [8, length],
        [3, length],
        [0, Math.floor(length / 2)],
        [Math.floor(length / 16) * 8, length],
      ] as const) {
        if (start >= end) continue;
        const before = new Uint32Array(Math.ceil(length / 32)).map(() => Math.floor(random() * 2 ** 32));
        const bits = before.slice();
        const counted = lsbOrder(values, start, end, bits);
        const expected = before.slice();
        let rising = 0;
        let falling = 0;
        for (let index = start; index < end; index++) {
          if (values[index]! & 1) expected[index >>> 5]! |= 1 << (index & 31);
          if (index > 0 && values[index]! > values[index - 1]!) rising++;
          if (index > 0 && values[index]! < values[index - 1]!) falling++;
        }
        expect(counted, `${length} [${start}, ${end})`).toEqual({ rising, falling });
        expect([...bits], `${length} [${start}, ${end})`).toEqual([...expected]);
      }
    }
  });
});
