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
      // Rules of other plugins (crypto/weak-checksum) are held by the preset's fixture test.
      const own = entry.rules.filter((rule) => rule.startsWith("supply-chain/"));
      expect(rules).toEqual(own.sort());
      const expected = own.length === 0 && entry.rules.length > 0 ? "clean" : entry.expect;
      // Only the Hugging Face handlers run here: a model file that only another handler reads (a real
      // safetensors shard) is inconclusive for that reason alone; the preset's test holds its full verdict.
      const unreadModel =
        file.outcome === "inconclusive" &&
        file.reasons.every((reason) => reason.includes("no format handler recognises"));
      expect(unreadModel && expected === "clean" ? "clean" : file.outcome).toBe(expected);
      const highest = Math.max(0, ...report.findings.map((finding) => RANK[finding.severity]));
      expect(highest).toBe(entry.maxSeverity && expected !== "clean" ? RANK[entry.maxSeverity] : 0);
    });
  }
});
