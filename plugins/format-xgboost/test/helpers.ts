import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/xgboost/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  description: string;
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

export function parse(name: string, bytes: Uint8Array = fixture(name)) {
  return parseWith(plugin.formats, name, bytes);
}

export function texts(facts: Awaited<ReturnType<typeof parse>>["facts"], key?: string): string[] {
  return facts.flatMap((fact) => (fact.kind === "text" && (key === undefined || fact.key === key) ? [fact.text] : []));
}
