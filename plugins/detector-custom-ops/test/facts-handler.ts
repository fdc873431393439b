import type { Fact } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

/** Scans a list of facts with this plugin through the engine. */
export function scanFacts(facts: readonly Fact[], options: Record<string, unknown> = {}): Promise<Report> {
  return scanBytes("model.facts", factsBytes({ facts: [...facts] }), [factsPlugin, plugin], {
    options: { "custom-ops": options },
  });
}

/** `severity ruleId` of every finding, sorted: what the tables compare. */
export function verdicts(report: Report): string[] {
  return report.findings.map((finding) => `${finding.severity} ${finding.ruleId}`).sort();
}
