import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { MIN_TEXT_RUN, PrintableRunCounter } from "../src/index.js";

function count(bytes: Iterable<number>): PrintableRunCounter {
  const counter = new PrintableRunCounter();
  for (const byte of bytes) counter.push(byte);
  counter.end();
  return counter;
}

const ascii = (text: string) => Buffer.from(text, "latin1");

describe("printable runs in extracted bytes", () => {
  const sentence = "Send the collected credentials to the operator after the next training run completes";

  it("finds a sentence between noise bytes, with where it starts", () => {
    const found = count([0x01, 0xff, ...ascii(sentence), 0x00, 0x02]).found;
    expect(found).toMatchObject({ start: 2, length: sentence.length });
    expect(found?.excerpt).toBe(sentence);
  });

  it("judges a run still open when the stream ends", () => {
    expect(count([0x00, ...ascii(sentence)]).found?.start).toBe(1);
  });

  it("ignores short runs, constants, digits and text without words", () => {
    expect(count(ascii(sentence.slice(0, MIN_TEXT_RUN - 1))).found).toBeNull();
    expect(count(ascii("A".repeat(500))).found).toBeNull();
    expect(count(ascii("0123456789".repeat(20))).found).toBeNull();
    expect(count(ascii("abcdefghijklmnopqrstuvwxyz".repeat(5))).found).toBeNull();
  });

  it("finds nothing in random bytes (the low bits of trained weights)", () => {
    const random = seededRandom(42);
    const counter = new PrintableRunCounter();
    for (let index = 0; index < 8 * 1024 * 1024; index++) counter.push(Math.floor(random() * 256));
    counter.end();
    expect(counter.found).toBeNull();
  });

  it("finds the same run byte by byte and in skipping chunks, wherever it sits and however the stream is cut", () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const noise = Uint8Array.from({ length: 600 + Math.floor(random() * 400) }, () => Math.floor(random() * 256));
      const at = Math.floor(random() * (noise.length - sentence.length));
      // Printable noise right before the sentence: the skip must back up to the run's true start.
      const stream = Uint8Array.from([...noise.subarray(0, at), ...ascii(sentence), ...noise.subarray(at)]);
      const expected = count(stream).found;
      expect(expected).not.toBeNull();
      const chunked = new PrintableRunCounter();
      for (let start = 0; start < stream.length; ) {
        const end = Math.min(stream.length, start + 1 + Math.floor(random() * 150));
        chunked.pushAll(stream.subarray(start, end));
        start = end;
      }
      chunked.end();
      expect(chunked.found).toEqual(expected);
    }
  });
});
