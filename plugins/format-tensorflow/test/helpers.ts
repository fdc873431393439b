import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/tensorflow/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: string | null;
  rules: string[];
  description: string;
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

/** Parses bytes under the fixture's path (sniffed by its base name; a checkpoint index finds its shards beside it). */
export function parse(name: string, bytes: Uint8Array = fixture(name)) {
  return parseWith(plugin.formats, new URL(name, FIXTURES).pathname, bytes);
}

export type GraphNode = Extract<Fact, { kind: "graph-node" }>;
export type Text = Extract<Fact, { kind: "text" }>;

export function graphNodes(facts: Fact[]): GraphNode[] {
  return facts.filter((fact): fact is GraphNode => fact.kind === "graph-node");
}

export function texts(facts: Fact[], role?: Text["role"]): Text[] {
  return facts.filter((fact): fact is Text => fact.kind === "text" && (role === undefined || fact.role === role));
}
