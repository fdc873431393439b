import type { Fact, Report } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";
import { scanBytes } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

/** Test-only format: a `.facts` file is a JSON list of facts, emitted as they are. Detectors never parse formats. */
export const factsPlugin = definePlugin({
  meta: { name: "test-facts", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [
    {
      id: "test-facts",
      description: "test-only: JSON list of facts",
      sniff: ({ extension }) => extension === ".facts",
      async parse(context) {
        const bytes = await context.source.read(0, context.source.size);
        for (const fact of JSON.parse(new TextDecoder().decode(bytes)) as Fact[]) context.emit(fact);
      },
    },
  ],
});

/** Scans a list of facts with this plugin through the engine. */
export function scanFacts(facts: readonly Fact[], options: Record<string, unknown> = {}): Promise<Report> {
  return scanBytes("model.facts", new TextEncoder().encode(JSON.stringify(facts)), [factsPlugin, plugin], {
    options: { "custom-ops": options },
  });
}

/** `severity ruleId` of every finding, sorted: what the tables compare. */
export function verdicts(report: Report): string[] {
  return report.findings.map((finding) => `${finding.severity} ${finding.ruleId}`).sort();
}
