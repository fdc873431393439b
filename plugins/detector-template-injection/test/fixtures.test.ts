import { readFileSync } from "node:fs";
import { compareSeverity, type Severity } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanTemplate } from "./scan-template.js";

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: Severity | null;
  rules: string[];
  description: string;
}

const directory = new URL("../../../tooling/fixtures/templates/", import.meta.url);
const manifest: ManifestEntry[] = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8"));

describe("tooling/fixtures/templates through the engine", () => {
  it("has the realistic benign set and the malicious set the issue asks for", () => {
    expect(manifest.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(8);
    expect(manifest.filter((entry) => entry.maxSeverity === "critical").length).toBeGreaterThanOrEqual(10);
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.expect}${entry.rules.length > 0 ? ` (${entry.rules.join(", ")})` : ""}`, async () => {
      const report = await scanTemplate(readFileSync(new URL(entry.file, directory), "utf8"));
      const [file] = report.files;
      expect(file?.outcome).not.toBe("error");
      const ruleIds = new Set(report.findings.map((finding) => finding.ruleId));
      for (const rule of entry.rules) expect(ruleIds).toContain(rule);
      const worst = report.findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;
      expect(worst).toBe(entry.maxSeverity);
      if (entry.expect === "clean") {
        expect(report.findings).toEqual([]);
        expect(file?.outcome).toBe("clean");
        expect(report.summary.exitCode).toBe(0);
      } else {
        expect(file?.outcome).toBe("findings");
        expect(report.summary.exitCode).toBe(1);
        for (const finding of report.findings) {
          expect(finding.message).not.toMatch(/\{\{/);
          expect(finding.evidence?.length ?? 0).toBeGreaterThan(0);
        }
      }
    });
  }
});
