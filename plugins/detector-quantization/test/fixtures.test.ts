import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixturePath, manifest, THOROUGH, withHandlers } from "./helpers.js";

const RANK = { info: 1, warning: 2, critical: 3 } as const;

describe("tooling/fixtures/quantization/manifest.json with the format plugins", () => {
  const entries = manifest();

  it("has at least 5 malicious and 6 benign fixtures", () => {
    expect(entries.filter((entry) => entry.label === "malicious").length).toBeGreaterThanOrEqual(5);
    expect(entries.filter((entry) => entry.label === "benign").length).toBeGreaterThanOrEqual(6);
  });

  for (const entry of entries) {
    it(`${entry.file} (${entry.label}): ${entry.rules.join(", ") || "no finding"}`, async () => {
      const report = await scanPaths([fixturePath(entry.file)], [...withHandlers], THOROUGH);
      const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
      expect(rules).toEqual([...entry.rules].sort());
      const highest = Math.max(0, ...report.findings.map((finding) => RANK[finding.severity]));
      expect(highest).toBe(entry.maxSeverity ? RANK[entry.maxSeverity] : 0);
      if (entry.expect !== "any-not-crash") {
        const file = report.files[0]!;
        expect(report.findings.length > 0 ? "findings" : file.outcome).toBe(entry.expect);
      }
    });
  }
});
