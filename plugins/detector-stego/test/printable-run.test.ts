import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { PrintableRunCounter } from "../src/printable-run.js";

const ascii = (text: string) => new TextEncoder().encode(text);

/** A stream of random bytes (mostly not printable, or mostly printable) with runs planted in it. */
function stream(random: () => number, length: number): Uint8Array {
  const dense = random() < 0.5;
  const bytes = new Uint8Array(length).map(() =>
    dense && random() < 0.9 ? 0x20 + Math.floor(random() * 95) : Math.floor(random() * 256),
  );
  const runs = [
    ascii("the payload waits in the low bits of every weight where nobody looks for it at all, curl"),
    ascii("ZWNobyBoZWxsbyB3b3JsZCBmcm9tIHRoZSBsb3cgYml0cyBvZiB0aGUgd2VpZ2h0cyBvZiB0aGlzIG1vZGVs"),
    ascii("A".repeat(63)),
    ascii("B".repeat(64)),
    ascii("word ".repeat(13)),
    ascii("x".repeat(1500)),
  ];
  for (let planted = 0; planted < 4; planted++) {
    const run = runs[Math.floor(random() * runs.length)]!;
    const at = Math.floor(random() * length);
    bytes.set(run.subarray(0, length - at), at);
    if (at > 0 && random() < 0.5) bytes[at - 1] = 0;
  }
  return bytes;
}

/** The map `printableBits` gives, with the bits past the bytes' end set at random (they mean nothing). */
function printableMap(bytes: Uint8Array, random: () => number): Uint32Array {
  const map = new Uint32Array((bytes.length + 31) >>> 5);
  for (let word = 0; word < map.length; word++) {
    let bits = 0;
    for (let bit = 0; bit < 32; bit++) {
      const byte = bytes[word * 32 + bit];
      const printable = byte === undefined ? random() < 0.5 : byte >= 0x20 && byte <= 0x7e;
      if (printable) bits |= 1 << bit;
    }
    map[word] = bits;
  }
  return map;
}

describe("PrintableRunCounter.pushAll", () => {
  it("finds what pushing every byte finds, however the bytes are split", () => {
    const random = seededRandom(23);
    for (let round = 0; round < 300; round++) {
      const bytes = stream(random, 1 + Math.floor(random() * (round % 4 === 0 ? 8000 : 600)));
      const each = new PrintableRunCounter();
      const all = new PrintableRunCounter();
      // With a map of the printable bytes, and without.
      const mapped = round % 2 === 0;
      const sizes = [1, 2, 63, 64, 65, 127, 1000][round % 7]!;
      for (let at = 0; at < bytes.length; ) {
        const size = random() < 0.2 ? 0 : 1 + Math.floor(random() * sizes);
        const chunk = bytes.subarray(at, at + size);
        for (const byte of chunk) each.push(byte);
        all.pushAll(chunk, mapped ? printableMap(chunk, random) : null);
        // Found at the same byte (a cheap look: toEqual on every chunk is slow).
        if ((all.found === null) !== (each.found === null)) expect.fail(`round ${round} at ${at}`);
        at += size;
      }
      each.end();
      all.end();
      expect(all.found, `round ${round}`).toEqual(each.found);
      // Another byte after the stream: both counters were left in the same state.
      each.push(0);
      all.pushAll(Uint8Array.of(0));
      expect(all.found, `round ${round}, after`).toEqual(each.found);
    }
  });

  it("finds a run right after another at every alignment, with a map", () => {
    const random = seededRandom(29);
    const sentence = ascii("the weights hide a line of text right after a long dull run, sh -c");
    for (let offset = 0; offset < 64; offset++) {
      for (const dull of [32, 63, 64, 70, 100]) {
        const bytes = new Uint8Array(400);
        bytes.set(ascii("x".repeat(dull)), 10 + offset);
        bytes.set(sentence.subarray(0, 64), 11 + offset + dull);
        const each = new PrintableRunCounter();
        const all = new PrintableRunCounter();
        for (const byte of bytes) each.push(byte);
        all.pushAll(bytes, printableMap(bytes, random));
        each.end();
        all.end();
        expect(each.found).not.toBeNull();
        expect(all.found, `${offset} ${dull}`).toEqual(each.found);
      }
    }
  });
});
