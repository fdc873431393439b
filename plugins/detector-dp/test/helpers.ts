import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import type { Config, Report } from "@modelaudit/core/engine";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/dp/", import.meta.url);

export interface ManifestEntry {
  file: string;
  label: "malicious" | "benign";
  expect: "clean" | "findings";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
  /** ε the generator's accountant (scipy, after Opacus) gives for `history` at `delta`; null for infinity. */
  epsilon?: number | null;
  delta?: number;
  history?: [number, number, number][];
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixturePath(file: string): string {
  return new URL(file, FIXTURES).pathname;
}

/** The detector with the format plugins that emit what it reads (checkpoints, configs, model cards). */
export const withHandlers = [plugin, huggingface, pickle, pytorch, archive] as const;

/** Scans synthetic facts through the engine with only this detector. */
export function scanFacts(facts: Fact[], config: Config = {}): Promise<Report> {
  return scanBytes("facts.json", factsBytes({ facts }), [plugin, factsPlugin], config);
}

export const text = (
  key: string | undefined,
  value: string,
  role: "config" | "metadata" | "documentation" = "metadata",
): Fact => ({
  kind: "text",
  text: value,
  ...(key === undefined ? {} : { key }),
  role,
});

/** `[ruleId, messageId]` of every finding, in report order. */
export function summary(report: Report): [string, string][] {
  return report.findings.map((finding) => [finding.ruleId, finding.messageId]);
}
