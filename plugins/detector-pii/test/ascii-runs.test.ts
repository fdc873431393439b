import type { Detector } from "@modelaudit/core";
import { driveDetector, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { AsciiRuns, MIN_ASCII_RUN } from "../src/ascii-runs.js";

const isPrintable = (byte: number) => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** The obvious byte-by-byte answer: every stretch of at least 16 printable ASCII bytes. */
function naiveRuns(bytes: Uint8Array): { offset: number; length: number }[] {
  const runs: { offset: number; length: number }[] = [];
  let start = -1;
  for (let index = 0; index <= bytes.length; index++) {
    const printable = index < bytes.length && isPrintable(bytes[index] as number);
    if (printable && start < 0) start = index;
    if (!printable && start >= 0) {
      if (index - start >= MIN_ASCII_RUN) runs.push({ offset: start, length: index - start });
      start = -1;
    }
  }
  return runs;
}

/** What the PII detector judges of some bytes: the engine's printable strings, through AsciiRuns. */
function judgedRuns(bytes: Uint8Array, chunkSize: number): { offset: number; length: number }[] {
  const found: { offset: number; length: number }[] = [];
  const probe: Detector = {
    id: "probe",
    description: "collects the ASCII runs the PII detector judges",
    facts: [],
    strings: true,
    rules: [],
    create() {
      const runs = new AsciiRuns();
      return { onString: (run) => runs.take(run, "", (text, offset) => found.push({ offset, length: text.length })) };
    },
  };
  driveDetector(probe, { sources: [bytes], chunkSize });
  return found;
}

const utf8 = new TextEncoder();

describe("the ASCII runs PII judges in raw bytes", () => {
  it("are exactly the printable ASCII stretches a byte-by-byte scan finds, whatever the chunking, UTF-8 or not", () => {
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
        // Well-formed UTF-8 (2, 3 and 4 bytes) inside and beside printable text.
        const character = utf8.encode(["é", "€", "𝄞"][run % 3] as string);
        const place = Math.min(bytes.length - character.length, at + Math.floor(random() * length));
        bytes.set(character, place);
      }
      const chunkSize = 1 + Math.floor(random() * 700);
      expect(judgedRuns(bytes, chunkSize)).toEqual(naiveRuns(bytes));
    }
  });
});
