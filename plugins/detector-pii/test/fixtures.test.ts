import { readFileSync } from "node:fs";
import type { ScanLevel } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { testHandlers } from "./support/test-handlers.js";

const folder = new URL("../../../tooling/fixtures/pii/", import.meta.url);
interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: "critical" | "warning" | "info" | null;
  rules: string[];
  level?: ScanLevel;
}
const manifest = JSON.parse(readFileSync(new URL("manifest.json", folder), "utf8")) as ManifestEntry[];
const SEVERITY_RANK = { info: 1, warning: 2, critical: 3 } as const;

describe("pii fixtures (tooling/fixtures/pii, made with torch/numpy)", () => {
  for (const entry of manifest) {
    it(`${entry.file}: ${entry.expect} (${entry.maxSeverity ?? "nothing"})`, async () => {
      const path = new URL(entry.file, folder).pathname;
      const report = await scanPaths([path], [testHandlers, plugin], { level: entry.level ?? "standard" });
      const findings = report.findings.filter((finding) => finding.ruleId.startsWith("pii/"));
      const summary = findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.message}`).join("\n");
      const worst =
        findings.length === 0 ? null : Math.max(...findings.map((finding) => SEVERITY_RANK[finding.severity]));
      if (entry.expect === "clean") {
        if (entry.maxSeverity === null) expect(findings, summary).toEqual([]);
        else expect(worst ?? 0, summary).toBeLessThanOrEqual(SEVERITY_RANK[entry.maxSeverity]);
        return;
      }
      for (const rule of entry.rules)
        expect(
          findings.map((finding) => finding.ruleId),
          summary,
        ).toContain(rule);
      expect(worst, summary).toBe(SEVERITY_RANK[entry.maxSeverity ?? "info"]);
    });
  }
});
