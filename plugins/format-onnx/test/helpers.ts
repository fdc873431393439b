import { readFileSync } from "node:fs";
import type { AnomalyFact, Fact, GraphNodeFact, ReferenceFact, TensorFact, TextFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES_ROOT = new URL("../../../tooling/fixtures/", import.meta.url).pathname;
export const FIXTURES = `${FIXTURES_ROOT}onnx/`;

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: string | null;
  rules: string[];
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8"));
}

/** Parses a fixture by its absolute path, so external data files beside it are found. */
export function parseFixture(file: string): Promise<ParsedFacts> {
  return parseWith(plugin.formats, `${FIXTURES}${file}`, readFileSync(`${FIXTURES}${file}`));
}

export const anomalies = (facts: Fact[]) => facts.filter((fact): fact is AnomalyFact => fact.kind === "anomaly");
export const tensors = (facts: Fact[]) => facts.filter((fact): fact is TensorFact => fact.kind === "tensor");
export const nodes = (facts: Fact[]) => facts.filter((fact): fact is GraphNodeFact => fact.kind === "graph-node");
export const references = (facts: Fact[]) => facts.filter((fact): fact is ReferenceFact => fact.kind === "reference");
export const texts = (facts: Fact[], role?: TextFact["role"]) =>
  facts.filter((fact): fact is TextFact => fact.kind === "text" && (role === undefined || fact.role === role));
