import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { MIN_RUN_LENGTH, type PrintableRun, PrintableRunExtractor } from "../src/printable-runs.js";

const isPrintable = (byte: number) => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** The obvious byte-by-byte answer the sampled extractor must match. */
function naiveRuns(bytes: Uint8Array): { offset: number; length: number }[] {
  const runs: { offset: number; length: number }[] = [];
  let start = -1;
  for (let index = 0; index <= bytes.length; index++) {
    const printable = index < bytes.length && isPrintable(bytes[index] as number);
    if (printable && start < 0) start = index;
    if (!printable && start >= 0) {
      if (index - start >= MIN_RUN_LENGTH) runs.push({ offset: start, length: index - start });
      start = -1;
    }
  }
  return runs;
}

describe("printable run extraction (sampled every 8 bytes)", () => {
  it("finds exactly the runs a byte-by-byte scan finds, whatever the chunking", () => {
    const random = seededRandom(8128);
    for (let trial = 0; trial < 200; trial++) {
      const bytes = new Uint8Array(2000 + Math.floor(random() * 3000));
      for (let index = 0; index < bytes.length; index++) {
        // Mostly binary, with printable stretches of every length around the threshold.
        bytes[index] = random() < 0.5 ? Math.floor(random() * 256) : 0x41 + Math.floor(random() * 26);
      }
      for (let run = 0; run < 6; run++) {
        const at = Math.floor(random() * bytes.length);
        const length = 10 + Math.floor(random() * 40);
        for (let index = at; index < Math.min(bytes.length, at + length); index++) bytes[index] = 0x61 + (index % 26);
      }
      const found: PrintableRun[] = [];
      const extractor = new PrintableRunExtractor((run) => found.push(run));
      for (let offset = 0; offset < bytes.length; ) {
        const size = 1 + Math.floor(random() * 700);
        extractor.push(bytes.subarray(offset, offset + size), offset);
        offset += size;
      }
      extractor.end();
      expect(found.map((run) => ({ offset: run.offset, length: run.text.length }))).toEqual(naiveRuns(bytes));
    }
  });
});
