import { readFileSync } from "node:fs";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { analyzeTemplate } from "../src/analyze-template.js";
import { scanTemplate } from "./scan-template.js";

const directory = new URL("../../../tooling/fixtures/templates/", import.meta.url);
const manifest: { file: string }[] = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8"));
const templates = manifest.map((entry) => readFileSync(new URL(entry.file, directory), "utf8"));

const PIECES = [
  "{{",
  "}}",
  "{%",
  "%}",
  "{#",
  "#}",
  "(",
  ")",
  "[",
  "]",
  "'",
  '"',
  "\\",
  "\\x5f",
  "\\137",
  "|attr(",
  "~",
  "%c",
  "__class__",
  ".",
  "|join",
  "()",
  "-",
  "{%- endfor %}",
  "\u0000",
  "\ud800",
];

function mutate(text: string, next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 6);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * (result.length + 1));
    const choice = next();
    if (choice < 0.25) result = result.slice(0, at);
    else if (choice < 0.5) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 20));
    else if (choice < 0.8) result = result.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + result.slice(at);
    else {
      const code = result.charCodeAt(at) ^ (1 << Math.floor(next() * 7));
      result = result.slice(0, at) + String.fromCharCode(Number.isNaN(code) ? 0 : code) + result.slice(at + 1);
    }
  }
  return result;
}

describe("mutated templates", () => {
  it("never throw out of the analysis and finish fast (2000 seeded mutations)", () => {
    const started = Date.now();
    let withIssues = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const next = seededRandom(seed);
      const template = mutate(templates[seed % templates.length]!, next);
      const issues = analyzeTemplate(template);
      if (issues.length > 0) withIssues++;
      for (const issue of issues)
        expect(["sandbox-escape", "obfuscation", "unparsable-template"]).toContain(issue.rule);
    }
    expect(withIssues).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("never make the engine report a detector failure (200 seeded mutations through scanBytes)", async () => {
    for (let seed = 5001; seed <= 5200; seed++) {
      const next = seededRandom(seed);
      const report = await scanTemplate(mutate(templates[seed % templates.length]!, next));
      const [file] = report.files;
      expect(file?.outcome, `seed ${seed}`).not.toBe("error");
      expect(
        file?.reasons.filter((reason) => reason.includes("failed")),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });

  it("bounds pathological input: huge, deep and repetitive templates finish fast", async () => {
    const cases = [
      "{{ x".repeat(200_000),
      `{{ ${"x~".repeat(50_000)}'a' }}`,
      `{% set a = 'x' %}${"{% set a = a ~ a %}".repeat(2_000)}{{ y[a] }}`,
      `{{ ${"'_'*2~".repeat(5_000)}'' }}`,
      "{{".repeat(300_000),
    ];
    for (const template of cases) {
      const started = Date.now();
      const report = await scanTemplate(template);
      expect(report.files[0]?.outcome).not.toBe("error");
      expect(report.files[0]?.reasons.filter((reason) => reason.includes("failed"))).toEqual([]);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });
});
