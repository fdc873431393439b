import { describe, expect, it } from "vitest";
import { MAX_RUN_LENGTH, type PrintableRun, PrintableRunExtractor } from "../src/printable-runs.js";
import { fakePii, grouped } from "./support/fake-pii.js";
import { runDetector } from "./support/run-detector.js";

const p = fakePii(3);
const encode = (text: string) => new TextEncoder().encode(text);

function randomFloatBytes(count: number, seed: number): Uint8Array {
  const floats = new Float32Array(count);
  let state = seed;
  for (let index = 0; index < count; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    floats[index] = ((state / 2 ** 32) * 2 - 1) * 0.05;
  }
  return new Uint8Array(floats.buffer);
}

/** Float data with `text` written over it at `at`, fenced by NUL bytes as a serializer would. */
function withTextAt(text: string, at: number, size = 64 * 1024): Uint8Array {
  const bytes = randomFloatBytes(size / 4, 7);
  bytes[at - 1] = 0;
  bytes.set(encode(text), at);
  bytes[at + text.length] = 0;
  return bytes;
}

describe("raw bytes: printable runs across chunk boundaries", () => {
  it("finds a card number split between two chunks at every cut position, at the right offset", () => {
    const text = `card ${grouped(p.visa)} exp 09/29`;
    for (let cut = 1; cut < text.length; cut++) {
      const at = 4096 - cut;
      const reports = runDetector([], [withTextAt(text, at)], {}, 4096);
      const hits = reports.filter((report) => report.rule === "credit-card-number");
      expect(hits, `cut ${cut}`).toHaveLength(1);
      expect(hits[0]?.location?.offset).toBe(at + 5);
      expect(hits[0]?.severity).toBe("critical");
    }
  });

  it("finds SSNs, IBANs and addresses spread over many tiny chunks", () => {
    const text = `applicant ssn ${p.ssn}; payout ${p.iban}; mail ${p.email};`;
    const reports = runDetector([], [withTextAt(text, 1000)], {}, 7);
    expect(reports.map((report) => report.rule).sort()).toEqual(["email-address", "iban", "us-ssn"]);
  });

  it("finds a value pickled with protocol 2 (length bytes before, a BINPUT `q` after)", () => {
    const value = grouped(p.mastercard);
    const pickled = new Uint8Array([0x80, 0x02, 0x58, value.length, 0, 0, 0, ...encode(value), 0x71, 0x05, 0x2e]);
    expect(runDetector([], [pickled]).map((report) => report.rule)).toEqual(["credit-card-number"]);
  });

  it("ignores printable runs shorter than 16 bytes", () => {
    const short = p.amex; // 15 digits, fenced by NULs: too short a run to judge in raw bytes
    expect(runDetector([], [withTextAt(short, 2000)])).toEqual([]);
    expect(runDetector([], [withTextAt(`${short} `, 2000)]).map((report) => report.rule)).toEqual([
      "credit-card-number",
    ]);
  });

  it("cuts very long runs into overlapping pieces and still finds a value across the cut", () => {
    const runs: PrintableRun[] = [];
    const extractor = new PrintableRunExtractor((run) => runs.push(run));
    const text = `${"a ".repeat((MAX_RUN_LENGTH - 10) / 2)}${p.email} ${"b".repeat(1000)}`;
    const bytes = encode(text);
    for (let offset = 0; offset < bytes.length; offset += 65_536)
      extractor.push(bytes.subarray(offset, offset + 65_536), offset);
    extractor.end();
    expect(runs.some((run) => run.text.includes(p.email))).toBe(true);
    expect(runDetector([], [bytes], {}, 65_536).map((report) => report.rule)).toEqual(["email-address"]);
  });

  it("a gap between chunks (a range the engine skipped) ends the run", () => {
    const runs: PrintableRun[] = [];
    const extractor = new PrintableRunExtractor((run) => runs.push(run));
    extractor.push(encode("0123456789abcdef01"), 0);
    extractor.push(encode("ghijklmnopqrstuvwx"), 100);
    extractor.end();
    expect(runs.map((run) => [run.offset, run.text.length])).toEqual([
      [0, 18],
      [100, 18],
    ]);
  });

  it("reports the same value in an archive and its member once, at the member", () => {
    const bytes = withTextAt(grouped(p.visa), 300);
    const reports = runDetector([], [bytes, bytes]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.origin.memberChain).toEqual(["member-1"]);
  });
});
