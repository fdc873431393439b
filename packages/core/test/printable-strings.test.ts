import { describe, expect, it } from "vitest";
import { MIN_RUN_LENGTH, PrintableStringExtractor } from "../src/engine/printable-strings.js";
import type { PrintableString } from "../src/plugin.js";
import { seededRandom } from "../src/testing/random.js";

/** Runs the extractor over `bytes` cut into pieces of random length, each placed at a random byte offset of its buffer. */
function extract(bytes: Uint8Array, random: () => number, maxPiece: number, useKernel = true): PrintableString[] {
  const runs: PrintableString[] = [];
  const extractor = new PrintableStringExtractor((run) => runs.push(run), useKernel);
  for (let start = 0; start < bytes.length; ) {
    const end = Math.min(bytes.length, start + 1 + Math.floor(random() * maxPiece));
    // A fresh buffer with the piece at offset 0-3: the sampler reads aligned words of any subarray.
    const shift = Math.floor(random() * 4);
    const buffer = new Uint8Array(end - start + shift);
    buffer.set(bytes.subarray(start, end), shift);
    extractor.push(buffer.subarray(shift), start);
    start = end;
  }
  extractor.end();
  return runs;
}

function randomText(random: () => number, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=";
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
}

describe("the printable-strings channel", () => {
  it("finds every embedded ASCII string of 16+ bytes in float noise, however the stream is cut and aligned", () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 60; trial++) {
      const noise = new Float32Array(4096).map(() => (random() - 0.5) * 0.08);
      const bytes = new Uint8Array(noise.buffer);
      const planted: { offset: number; text: string }[] = [];
      for (let at = 100 + Math.floor(random() * 50); at < bytes.length - 80; at += 300 + Math.floor(random() * 500)) {
        const text = randomText(random, MIN_RUN_LENGTH + Math.floor(random() * 40));
        bytes.set(Buffer.from(text, "latin1"), at);
        // Hard breaks on both sides, so the run is exactly the planted text.
        bytes[at - 1] = 0;
        bytes[at + text.length] = 0;
        planted.push({ offset: at, text });
      }
      for (const maxPiece of [5, 64, 1000, 1 << 16]) {
        const runs = extract(bytes, random, maxPiece);
        for (const { offset, text } of planted) {
          expect(runs, `trial ${trial}, pieces ≤ ${maxPiece}`).toContainEqual({ text, offset, ascii: true });
        }
      }
    }
  });

  it("reports the same runs whatever the chunking", () => {
    const random = seededRandom(5);
    // Mostly printable noise with sparse breaks: many long runs, some straddling every cut.
    const bytes = Uint8Array.from({ length: 50_000 }, () => (random() < 0.02 ? 0 : 0x20 + Math.floor(random() * 95)));
    const whole = extract(bytes, () => 0.999999, bytes.length);
    expect(whole.length).toBeGreaterThan(100);
    for (const maxPiece of [3, 17, 4096]) expect(extract(bytes, random, maxPiece)).toEqual(whole);
  });

  it("finds the same runs with the SIMD kernel as with the sampling loop, across its 1 MiB pieces", () => {
    const random = seededRandom(17);
    const size = 3 * 1024 * 1024 + 13;
    // Float noise, zero stretches, printable noise, UTF-8 text and planted runs, some across the
    // kernel's piece boundaries (1 MiB from a stretch's start) and at the ends of the data.
    const bytes = new Uint8Array(
      new Float32Array(Math.ceil(size / 4)).map(() => (random() - 0.5) * 0.1).buffer,
      0,
      size,
    );
    bytes.fill(0, 200_000, 260_000);
    for (let at = 300_000; at < 400_000; at++) bytes[at] = random() < 0.01 ? 0 : 0x20 + Math.floor(random() * 95);
    const utf8 = Buffer.from("Grüße, 東京 — naïve café déjà vu ".repeat(40), "utf8");
    bytes.set(utf8, 500_000);
    for (const at of [
      1024 * 1024 - 9,
      1024 * 1024 - 3,
      2 * 1024 * 1024 + 1,
      2 * 1024 * 1024 + 1024 * 1024 - 20,
      size - 17,
    ]) {
      bytes.set(Buffer.from(randomText(random, 17), "latin1"), at);
    }
    bytes.set(Buffer.from(randomText(random, 40), "latin1"), 0);
    const expected = extract(bytes, () => 0.999999, size, false);
    expect(expected.length).toBeGreaterThan(50);
    for (const maxPiece of [size, 1 << 20, 70_001]) {
      expect(extract(bytes, random, maxPiece, true), `pieces ≤ ${maxPiece}`).toEqual(expected);
    }
  });
});
