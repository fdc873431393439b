import { readFileSync } from "node:fs";
import type { AnomalyFact, Fact, TensorFact, TextFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/safetensors/", import.meta.url).pathname;

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8"));
}

/** Parses a fixture by its absolute path, so the index handler can find the shards beside it. */
export function parseFixture(file: string): Promise<ParsedFacts> {
  return parseWith(plugin.formats, `${FIXTURES}${file}`, readFileSync(`${FIXTURES}${file}`));
}

export const anomalies = (facts: Fact[]) => facts.filter((fact): fact is AnomalyFact => fact.kind === "anomaly");
export const tensors = (facts: Fact[]) => facts.filter((fact): fact is TensorFact => fact.kind === "tensor");
export const texts = (facts: Fact[], role?: TextFact["role"]) =>
  facts.filter((fact): fact is TextFact => fact.kind === "text" && (role === undefined || fact.role === role));
