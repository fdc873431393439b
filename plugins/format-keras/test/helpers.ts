import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/keras/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: string | null;
  rules: string[];
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

export function fixturePath(file: string): string {
  return new URL(file, FIXTURES).pathname;
}

/** Parses bytes with this plugin's handlers plus a zip handler when given, as the engine would. */
export function parse(name: string, bytes: Uint8Array = fixture(name), extra: Parameters<typeof parseWith>[0] = []) {
  return parseWith([...extra, ...plugin.formats], name, bytes);
}

export function ofKind<K extends Fact["kind"]>(facts: Fact[], kind: K): Extract<Fact, { kind: K }>[] {
  return facts.filter((fact): fact is Extract<Fact, { kind: K }> => fact.kind === kind);
}
