import { readFileSync } from "node:fs";
import type { ScanLevel } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { testHandlers } from "./support/test-handlers.js";

const folder = new URL("../../../tooling/fixtures/secrets/", import.meta.url);
interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: "critical" | "warning" | "info" | null;
  rules: string[];
  /** Scan level the verdict needs (tensor bytes are streamed at "thorough"). */
  level?: ScanLevel;
}
const manifest = JSON.parse(readFileSync(new URL("manifest.json", folder), "utf8")) as ManifestEntry[];
const SEVERITY_RANK = { info: 1, warning: 2, critical: 3 } as const;

describe("secrets fixtures (tooling/fixtures/secrets, made with torch/numpy/openssl)", () => {
  for (const entry of manifest) {
    for (const [label, plugins] of [
      ["with facts from test handlers", [testHandlers, plugin]],
      ["raw bytes only", [plugin]],
    ] as const) {
      it(`${entry.file} (${label}): ${entry.expect}`, async () => {
        const path = new URL(entry.file, folder).pathname;
        const report = await scanPaths([path], plugins, { level: entry.level ?? "standard" });
        const findings = report.findings.filter((finding) => finding.ruleId.startsWith("secrets/"));
        if (entry.expect === "clean") {
          expect(findings).toEqual([]);
          return;
        }
        for (const rule of entry.rules) expect(findings.map((finding) => finding.ruleId)).toContain(rule);
        const worst = Math.max(...findings.map((finding) => SEVERITY_RANK[finding.severity]));
        expect(worst).toBe(SEVERITY_RANK[entry.maxSeverity ?? "info"]);
        // One finding per secret: a value found as a fact and in raw bytes is reported once.
        const keys = findings.map((finding) => `${finding.ruleId} ${finding.evidence}`);
        expect(new Set(keys).size).toBe(keys.length);
      });
    }
  }

  it("reports the text fact's location (the metadata key) over the raw byte offset", async () => {
    const path = new URL("safetensors_metadata_openai.safetensors", folder).pathname;
    const report = await scanPaths([path], [testHandlers, plugin]);
    const openai = report.findings.filter((finding) => finding.ruleId === "secrets/openai-api-key");
    expect(openai).toHaveLength(1);
    expect(openai[0]?.location?.path).toBe("__metadata__.openai_api_key");
  });
});
