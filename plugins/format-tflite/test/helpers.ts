import { readFileSync } from "node:fs";
import type { AnomalyFact, Fact, GraphNodeFact, TensorFact, TextFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/tflite/", import.meta.url).pathname;

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8"));
}

export const fixtureBytes = (file: string) => new Uint8Array(readFileSync(`${FIXTURES}${file}`));

export function parseFixture(file: string): Promise<ParsedFacts> {
  return parseWith(plugin.formats, file, fixtureBytes(file));
}

export const anomalies = (facts: Fact[]) => facts.filter((fact): fact is AnomalyFact => fact.kind === "anomaly");
export const tensors = (facts: Fact[]) => facts.filter((fact): fact is TensorFact => fact.kind === "tensor");
export const nodes = (facts: Fact[]) => facts.filter((fact): fact is GraphNodeFact => fact.kind === "graph-node");
export const texts = (facts: Fact[], role?: TextFact["role"]) =>
  facts.filter((fact): fact is TextFact => fact.kind === "text" && (role === undefined || fact.role === role));
export const textByKey = (facts: Fact[], key: string) => texts(facts).find((fact) => fact.key === key)?.text;
