import type { Fact, TextFact } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { findAddresses } from "../src/address-extraction.js";
import { scanFacts } from "./facts-handler.js";

const PIECES = [
  "http",
  "://",
  "https://",
  "s3://",
  "[",
  "]",
  ":",
  "::",
  ".",
  "@",
  "/",
  "?",
  "#",
  "%",
  " ",
  "\n",
  '"',
  "'",
  "#",
  '"""',
  "1",
  "45",
  "255",
  "256",
  "077",
  "2001",
  "db8",
  "fe80",
  "ngrok.io",
  "bit.ly",
  "callback_url=",
  "import socket",
  "requests.post(",
  "(",
  ")",
  "\u0000",
  "\u00e9",
  "\u{1F600}",
  "a",
  "Z",
  "-",
  "_",
  "localhost",
  "example.com",
  "api.telegram.org/bot",
];
const ROLES: TextFact["role"][] = [
  "config",
  "metadata",
  "string-constant",
  "documentation",
  "vocabulary",
  "name",
  "other",
];

function randomText(next: () => number, pieces: number): string {
  let text = "";
  for (let index = 0; index < pieces; index++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

describe("hostile text", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    "seed %i: random text and code never make the detector fail",
    async (seed) => {
      const next = seededRandom(seed);
      const facts: Fact[] = [];
      for (let index = 0; index < 200; index++) {
        const value = randomText(next, Math.floor(next() * 60));
        const pick = next();
        if (pick < 0.6) {
          facts.push({
            kind: "text",
            text: value,
            role: ROLES[Math.floor(next() * ROLES.length)]!,
            ...(next() < 0.5 && { key: randomText(next, 3) }),
          });
        } else if (pick < 0.8) {
          facts.push({
            kind: "code",
            language: next() < 0.5 ? "python" : "python-bytecode",
            text: value,
            names: value.split(/\s+/),
          });
        } else if (pick < 0.9) {
          facts.push({
            kind: "call",
            callee: { module: randomText(next, 2), name: randomText(next, 2) },
            via: "REDUCE",
            args: [value],
          });
        } else {
          facts.push({ kind: "reference", target: value, referenceKind: "url" });
        }
      }
      const report = await scanFacts(facts);
      expect(report.files[0]!.outcome).not.toBe("error");
      expect(report.files[0]!.reasons.filter((reason) => reason.includes("detector network failed"))).toEqual([]);
      for (const finding of report.findings) expect(finding.message).not.toMatch(/\{\{/);
    },
  );

  it("judges a 5 MB text fact in bounded time", async () => {
    const next = seededRandom(42);
    const chunks: string[] = [];
    let size = 0;
    while (size < 5 * 1024 * 1024) {
      const chunk = randomText(next, 200);
      chunks.push(chunk);
      size += chunk.length;
    }
    const text = chunks.join("");
    const started = performance.now();
    findAddresses(text);
    const report = await scanFacts([
      { kind: "text", text, key: "blob", role: "metadata" },
      { kind: "code", language: "python", text, location: { path: "big.py" } },
    ]);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(report.files[0]!.outcome).not.toBe("error");
  });

  it("a 5 MB run of digits and dots, colons and hex is linear", () => {
    for (const unit of ["1.", "1.2.3.4.", "a:", "ab:cd::", "http://a", "http://" + "a.".repeat(50)]) {
      const text = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
      const started = performance.now();
      findAddresses(text);
      expect(performance.now() - started, unit).toBeLessThan(30_000);
    }
  });
});
