import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareSeverity, type Severity } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { codeFilePlugin } from "./code-file-handler.js";
import { torchscriptZipPlugin } from "./torchscript-zip-handler.js";

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: Severity | null;
  rules: string[];
  description: string;
}

const directory = new URL("../../../tooling/fixtures/jit/", import.meta.url);
const manifest: ManifestEntry[] = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8"));
const outcomes = { maliciousDetected: 0, malicious: 0, benignFlagged: 0, benign: 0 };

describe("tooling/fixtures/jit through the engine", () => {
  it("has the benign set and the malicious set the issue asks for", () => {
    expect(manifest.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(6);
    expect(manifest.filter((entry) => entry.maxSeverity === "critical").length).toBeGreaterThanOrEqual(12);
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.expect} ${entry.maxSeverity ?? ""} ${entry.rules.join(", ")}`, async () => {
      const report = await scanPaths(
        [fileURLToPath(new URL(entry.file, directory))],
        [codeFilePlugin, torchscriptZipPlugin, plugin],
      );
      const [file] = report.files;
      expect(file?.outcome).not.toBe("error");
      expect(file?.reasons).toEqual([]);
      const summary = report.findings
        .map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`)
        .join("\n");
      const worst = report.findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;
      const flagged = worst === "critical" || worst === "warning";
      if (entry.expect === "clean") {
        outcomes.benign++;
        if (flagged) outcomes.benignFlagged++;
      } else {
        outcomes.malicious++;
        if (flagged) outcomes.maliciousDetected++;
      }
      expect(worst, summary).toBe(entry.maxSeverity);
      const ruleIds = report.findings.map((finding) => finding.ruleId);
      for (const rule of entry.rules) expect(ruleIds, summary).toContain(rule);
      for (const finding of report.findings) {
        expect(finding.message).not.toMatch(/\{\{/);
        expect(finding.location?.line).toBeGreaterThan(0);
        expect(finding.location?.path?.length ?? 0).toBeGreaterThan(0);
        expect(finding.evidence?.length ?? 0).toBeGreaterThan(0);
      }
    });
  }

  afterAll(() => {
    // Detection rate and false-positive rate on this set, reported in the issue note.
    console.log(
      `jit fixtures: detected ${outcomes.maliciousDetected}/${outcomes.malicious} malicious, ` +
        `flagged ${outcomes.benignFlagged}/${outcomes.benign} benign (warning or above)`,
    );
  });
});
