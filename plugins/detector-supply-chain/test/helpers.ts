import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import type { Config, Report } from "@modelaudit/core/engine";
import { type FactsDescription, factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import huggingface from "@modelaudit/format-huggingface";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/supply-chain/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixturePath(file: string): string {
  return new URL(file, FIXTURES).pathname;
}

export const encode = (text: string) => new TextEncoder().encode(text);

/** The detector plus the real Hugging Face handlers (LFS pointers, configs). */
export const withHandlers = [plugin, huggingface] as const;

/** Scans synthetic facts through the engine with only this detector. */
export function scanFacts(facts: Fact[], config: Config = {}, description: FactsDescription = {}): Promise<Report> {
  return scanBytes("facts.json", factsBytes({ ...description, facts }), [plugin, factsPlugin], config);
}

/** `[ruleId, severity, messageId]` of every finding, in report order. */
export function summary(report: Report): [string, string, string][] {
  return report.findings.map((finding) => [finding.ruleId, finding.severity, finding.messageId]);
}

export function supplyChainOptions(options: Record<string, unknown>): Config {
  return { options: { "supply-chain": options } };
}
