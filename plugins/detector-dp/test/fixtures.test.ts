import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { epsilonOf } from "../src/index.js";
import { fixturePath, manifest, withHandlers } from "./helpers.js";

const RANK = { info: 1, warning: 2, critical: 3 } as const;

describe("tooling/fixtures/dp/manifest.json with the format plugins", () => {
  const entries = manifest();

  it("has at least 5 malicious and 5 benign fixtures", () => {
    expect(entries.filter((entry) => entry.label === "malicious").length).toBeGreaterThanOrEqual(5);
    expect(entries.filter((entry) => entry.label === "benign").length).toBeGreaterThanOrEqual(5);
  });

  for (const entry of entries) {
    it(`${entry.file} (${entry.label}): ${entry.rules.join(", ") || "no finding"}`, async () => {
      const report = await scanPaths([fixturePath(entry.file)], [...withHandlers]);
      const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
      expect(rules).toEqual([...entry.rules].sort());
      const highest = Math.max(0, ...report.findings.map((finding) => RANK[finding.severity]));
      expect(highest).toBe(entry.maxSeverity ? RANK[entry.maxSeverity] : 0);
      expect(report.findings.length > 0 ? "findings" : report.files[0]!.outcome).toBe(entry.expect);
    });
  }

  const accounted = entries.filter((entry) => entry.history !== undefined);
  it.each(accounted.map((entry) => [entry.file, entry] as const))(
    "recomputes the generator's ε for %s (Python with scipy, after Opacus)",
    (_file, entry) => {
      const runs = entry.history!.map(([noiseMultiplier, sampleRate, steps]) => ({
        noiseMultiplier,
        sampleRate,
        steps,
      }));
      const { epsilon } = epsilonOf(runs, entry.delta!);
      if (entry.epsilon === null || entry.epsilon === undefined) expect(epsilon).toBe(Number.POSITIVE_INFINITY);
      else expect(Math.abs(epsilon - entry.epsilon) / entry.epsilon).toBeLessThan(1e-9);
    },
  );
});
