import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { countFloat32Low16, countWords16, releaseCounters, takeCounters } from "../src/word-histogram.js";

/** The definitions, byte by byte. */
function words16(counts: Uint32Array, bytes: Uint8Array): void {
  for (let at = 0; at + 1 < bytes.length; at += 2) counts[bytes[at]! | (bytes[at + 1]! << 8)]!++;
}
function float32Low16(counts: Uint32Array, bytes: Uint8Array): number {
  let counted = 0;
  for (let at = 0; at + 3 < bytes.length; at += 4) {
    if ((bytes[at + 2]! & 0x7f) === 0) continue;
    counts[bytes[at]! | (bytes[at + 1]! << 8)]!++;
    counted++;
  }
  return counted;
}

/** Whether two histograms are equal (toEqual on 65536 counters is slow). */
const same = (left: Uint32Array, right: Uint32Array) =>
  Buffer.from(left.buffer, left.byteOffset, left.byteLength).equals(
    Buffer.from(right.buffer, right.byteOffset, right.byteLength),
  );

describe("16-bit word histograms", () => {
  it("count as defined, whatever the length, alignment and counts before", () => {
    const random = seededRandom(5);
    for (const length of [0, 1, 3, 4, 4098, 65537, 16384 * 4 + 6, 262144 + 4 * 1001 + 3, 3 * 262144]) {
      // Float32 weights and raw bytes: mantissas with zero bits 16..22 come up in both.
      const values = new Float32Array(Math.ceil(length / 4) + 1).map(() =>
        random() < 0.1 ? 1 : 0.02 * (random() - 0.5),
      );
      const raw = new Uint8Array(values.buffer);
      // Plain and shared memory (a large file's chunks), at every alignment.
      for (const misalign of [0, 1, 2, 3, 4, 5, 6, 7]) {
        const backing = misalign >= 4 ? new SharedArrayBuffer(length + misalign) : new ArrayBuffer(length + misalign);
        const bytes = new Uint8Array(backing).subarray(misalign);
        bytes.set(raw.subarray(0, length));
        const start = new Uint32Array(65536).map(() => Math.floor(random() * 4));
        const expected = start.slice();
        const actual = start.slice();
        words16(expected, bytes);
        countWords16(actual, bytes);
        expect(same(actual, expected), `16-bit, ${length} bytes at ${misalign}`).toBe(true);
        const expectedWide = start.slice();
        const actualWide = start.slice();
        const counted = float32Low16(expectedWide, bytes);
        expect(countFloat32Low16(actualWide, bytes)).toBe(counted);
        expect(same(actualWide, expectedWide), `float32, ${length} bytes at ${misalign}`).toBe(true);
      }
    }
  });

  it("hands out zeroed counters, in the kernel's slots and past them, each counting on its own", () => {
    const random = seededRandom(9);
    const bytes = new Uint8Array(4 * 40000).map(() => Math.floor(random() * 256));
    for (let round = 0; round < 2; round++) {
      const taken = Array.from({ length: 7 }, () => takeCounters());
      for (const counts of taken) expect(counts.every((count) => count === 0)).toBe(true);
      taken.forEach((counts, index) => {
        const part = bytes.subarray(index * 4000);
        const expected = new Uint32Array(65536);
        if (index % 2 === 0) {
          countWords16(counts, part);
          words16(expected, part);
        } else {
          expect(countFloat32Low16(counts, part)).toBe(float32Low16(expected, part));
        }
        expect(same(counts, expected), `counters ${index}`).toBe(true);
      });
      // Given back twice: still one owner per slot in the next round.
      for (const counts of taken) releaseCounters(counts);
      releaseCounters(taken[0]!);
      taken[0]!.fill(7);
    }
  });
});
