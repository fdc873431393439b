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
      // Only the Hugging Face handlers run here: a model file that only another handler reads (a real
      // safetensors shard) is inconclusive for that reason alone; the preset's test holds its full verdict.
      const unreadModel =
        file.outcome === "inconclusive" &&
        file.reasons.every((reason) => reason.includes("no format handler recognises"));
      expect(unreadModel && entry.expect === "clean" ? "clean" : file.outcome).toBe(entry.expect);
      const highest = Math.max(0, ...report.findings.map((finding) => RANK[finding.severity]));
      expect(highest).toBe(entry.maxSeverity ? RANK[entry.maxSeverity] : 0);
    });
  }
});
