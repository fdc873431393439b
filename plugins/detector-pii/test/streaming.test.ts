import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
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
    // The engine hands over runs longer than 256 KiB in overlapping pieces.
    const text = `${"a ".repeat((256 * 1024 - 10) / 2)}${p.email} ${"b".repeat(1000)}`;
    const bytes = encode(text);
    expect(runDetector([], [bytes], {}, 65_536).map((report) => report.rule)).toEqual(["email-address"]);
  });

  it("reports the same value in an archive and its member once, at the member", async () => {
    const card = grouped(p.visa);
    // The detector reports each source's sighting with the value; the engine keeps the innermost.
    const bytes = withTextAt(card, 300);
    expect(runDetector([], [bytes, bytes]).map((report) => [report.seenIn, report.origin.memberChain])).toEqual([
      ["bytes", []],
      ["bytes", ["member-1"]],
    ]);
    const description = { children: [{ name: "member", text: `junk ${card} junk` }] };
    const report = await scanBytes("m.json", factsBytes(description), [factsPlugin, plugin]);
    const findings = report.findings.filter((finding) => finding.ruleId.startsWith("pii/"));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.memberChain).toEqual(["member"]);
  });

  it("reports a value in a text fact and in the raw bytes of its source once, at the fact", async () => {
    const fact = { kind: "text" as const, text: p.iban, key: "payout.iban", role: "metadata" as const };
    const report = await scanBytes("m.json", factsBytes({ facts: [fact] }), [factsPlugin, plugin]);
    const findings = report.findings.filter((finding) => finding.ruleId.startsWith("pii/"));
    expect(findings.map((finding) => [finding.ruleId, finding.location?.path])).toEqual([["pii/iban", "payout.iban"]]);
  });

  it("finds values between UTF-8 text and reports their byte offsets", () => {
    const prefix = "clé secrète: carte ";
    const bytes = withTextAt(`${prefix}${grouped(p.mastercard)} ü`, 700);
    const reports = runDetector([], [bytes], {}, 512);
    expect(reports.map((report) => [report.rule, report.location?.offset])).toEqual([
      ["credit-card-number", 700 + encode(prefix).length],
    ]);
  });
});
