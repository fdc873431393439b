import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixturePath, manifest, withHandlers } from "./helpers.js";

const RANK = { info: 1, warning: 2, critical: 3 } as const;

describe("tooling/fixtures/supply-chain/manifest.json with the Hugging Face handlers", () => {
  for (const entry of manifest()) {
    it(`${entry.file}: ${entry.expect}${entry.rules.length > 0 ? ` (${entry.rules.join(", ")})` : ""}`, async () => {
      const report = await scanPaths([fixturePath(entry.file)], [...withHandlers]);
      const file = report.files[0]!;
      const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
      expect(rules).toEqual([...entry.rules].sort());
      expect(file.outcome).toBe(entry.expect);
      const highest = Math.max(0, ...report.findings.map((finding) => RANK[finding.severity]));
      expect(highest).toBe(entry.maxSeverity ? RANK[entry.maxSeverity] : 0);
    });
  }
});
