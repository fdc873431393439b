import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import type { Config, Report } from "@modelaudit/core/engine";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import safetensors from "@modelaudit/format-safetensors";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/crypto/", import.meta.url);

export interface ManifestEntry {
  file: string;
  label: "malicious" | "benign";
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

/** The detector with the format plugins that emit what it reads (configs, code, pickles, archives). */
export const withHandlers = [plugin, huggingface, pickle, pytorch, archive, safetensors] as const;

/** Scans synthetic facts through the engine with only this detector. */
export function scanFacts(facts: Fact[], config: Config = {}): Promise<Report> {
  return scanBytes("facts.json", factsBytes({ facts }), [plugin, factsPlugin], config);
}

/** Scans Python source as a `modeling.py` beside a model, through the Hugging Face handler. */
export function scanPython(source: string, name = "modeling_custom.py", config: Config = {}): Promise<Report> {
  return scanBytes(name, encode(source), [plugin, huggingface], config);
}

/** `[ruleId, severity, messageId]` of every finding, in report order. */
export function summary(report: Report): [string, string, string][] {
  return report.findings.map((finding) => [finding.ruleId, finding.severity, finding.messageId]);
}

export function cryptoOptions(options: Record<string, unknown>): Config {
  return { options: { crypto: options } };
}
