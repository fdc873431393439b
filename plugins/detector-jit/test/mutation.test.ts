import { readdirSync, readFileSync } from "node:fs";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { analyzeBytecodeNames, analyzePython } from "../src/index.js";
import { scanCode } from "./code-file-handler.js";

const directory = new URL("../../../tooling/fixtures/jit/", import.meta.url);
const sources = ["hf-benign/", "hf-malicious/"].flatMap((folder) =>
  readdirSync(new URL(folder, directory)).map((name) => readFileSync(new URL(folder + name, directory), "utf8")),
);

const PIECES = [
  "(",
  ")",
  "[",
  "]",
  "'",
  '"',
  '"""',
  "\\",
  ":",
  "\n    ",
  "getattr(",
  "__import__(",
  "+",
  "*",
  "%",
  "import ",
  "from ",
  " as ",
  "lambda",
  "\u0000",
  "\ud800",
  "[::-1]",
  "chr(9999999)",
  "'a'*99999999",
];

function mutate(text: string, next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 8);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * (result.length + 1));
    const choice = next();
    if (choice < 0.2) result = result.slice(0, at);
    else if (choice < 0.45) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 40));
    else if (choice < 0.8) result = result.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + result.slice(at);
    else {
      const code = result.charCodeAt(at) ^ (1 << Math.floor(next() * 7));
      result = result.slice(0, at) + String.fromCharCode(Number.isNaN(code) ? 0 : code) + result.slice(at + 1);
    }
  }
  return result;
}

describe("mutated and random code", () => {
  it("never throws out of the analysis and finishes fast (2000 seeded mutations, both languages)", () => {
    const started = Date.now();
    let withIssues = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const next = seededRandom(seed);
      const code = mutate(sources[seed % sources.length] as string, next);
      const issues = analyzePython(code, seed % 2 === 0 ? "python" : "torchscript");
      if (issues.length > 0) withIssues++;
      for (const issue of issues)
        expect(["dangerous-call", "dangerous-import", "native-library-load", "unknown-operator"]).toContain(issue.rule);
    }
    expect(withIssues).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("never throws on random bytes decoded as text or random bytecode names", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const characters = Array.from({ length: Math.floor(next() * 2000) }, () =>
        String.fromCharCode(Math.floor(next() * 0x3000)),
      );
      expect(() => analyzePython(characters.join(""), "python")).not.toThrow();
      expect(() => analyzeBytecodeNames(characters.join("").split(/\s/), "")).not.toThrow();
    }
  });

  it("never makes the engine report a detector failure (200 seeded mutations through scanBytes)", async () => {
    for (let seed = 5001; seed <= 5200; seed++) {
      const next = seededRandom(seed);
      const report = await scanCode(mutate(sources[seed % sources.length] as string, next));
      expect(report.files[0]?.outcome, `seed ${seed}`).not.toBe("error");
      expect(report.files[0]?.reasons, `seed ${seed}`).toEqual([]);
    }
  });

  it("reports code nested deeper than the parser can safely build as not analysed, never clean", async () => {
    const report = await scanCode(`x = ${"(".repeat(5_000)}1${")".repeat(5_000)}\nimport os\nos.system('x')`);
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join(" ")).toMatch(/nested deeper than/);
  });

  it("bounds pathological input: 2 MB files, deep nesting, long chains finish in bounded time", () => {
    const benign = sources[0] as string;
    const cases = [
      benign.repeat(Math.ceil((2 * 1024 * 1024) / benign.length)),
      `x = ${"(".repeat(100_000)}1${")".repeat(100_000)}`,
      `x = ${"[".repeat(200_000)}`,
      `s = ${"'a' + ".repeat(100_000)}'b'\neval(s)`,
      `f = ${"getattr(".repeat(20_000)}os${", 'x')".repeat(20_000)}`,
      "import os\n".repeat(100_000),
      `${"    ".repeat(50_000)}x`,
      `os.system(${"'x', ".repeat(200_000)})`,
    ];
    for (const code of cases) {
      const started = Date.now();
      expect(() => analyzePython(code, "python")).not.toThrow();
      expect(Date.now() - started).toBeLessThan(60_000);
    }
  }, 600_000);
});
