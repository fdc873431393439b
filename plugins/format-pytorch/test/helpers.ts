import { readFileSync } from "node:fs";
import {
  API_VERSION,
  definePlugin,
  FACT_KINDS,
  type Fact,
  type GraphNodeFact,
  type Origin,
  type ReferenceFact,
} from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
// The real zip handler (test-only, by path: not a dependency of this package) turns archive members
// into nested sources with the parent formats (`zip`, `pytorch-zip`) the TorchScript sniffer relies on.
import archivePlugin from "@modelaudit/format-archive";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/torchscript/", import.meta.url).pathname;

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8"));
}

export interface Collected {
  facts: { fact: Fact; origin: Origin }[];
  report: Report;
}

/** Scans bytes through the engine with the archive and TorchScript handlers and a detector that keeps every fact. */
export async function scanCollecting(name: string, bytes: Uint8Array): Promise<Collected> {
  const facts: Collected["facts"] = [];
  const collector = definePlugin({
    meta: { name: "fact-collector", version: "0.0.0", namespace: "fact-collector" },
    apiVersion: API_VERSION,
    // data.pkl and constants.pkl belong to the pickle plugin, not a dependency of this package: a stub
    // claims them so the engine does not report them as unread model files.
    formats: [
      {
        id: "pickle-stub",
        description: "claims .pkl members for these tests",
        sniff: (input) => input.extension === ".pkl",
        parse: async () => undefined,
      },
    ],
    detectors: [
      {
        id: "fact-collector",
        description: "keeps every fact for assertions",
        facts: FACT_KINDS,
        rules: [],
        create: () => ({
          onFact: (fact, origin) => facts.push({ fact, origin: { ...origin, formats: [...origin.formats] } }),
        }),
      },
    ],
  });
  const report = await scanBytes(name, bytes, [archivePlugin, plugin, collector]);
  return { facts, report };
}

export function scanFixture(file: string): Promise<Collected> {
  return scanCollecting(file, readFileSync(`${FIXTURES}${file}`));
}

export const ofKind = <K extends Fact["kind"]>(collected: Collected, kind: K) =>
  collected.facts.map((entry) => entry.fact).filter((fact): fact is Extract<Fact, { kind: K }> => fact.kind === kind);

export const graphNodes = (collected: Collected) =>
  ofKind(collected, "graph-node").filter((fact: GraphNodeFact) => fact.framework === "torchscript");
export const references = (collected: Collected) => ofKind(collected, "reference") as ReferenceFact[];
