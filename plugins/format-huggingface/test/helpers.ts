import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/huggingface/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: string;
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8"));
}

export function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

/** Parses bytes under their base name, as the engine sniffs them. */
export function parse(name: string, bytes: Uint8Array = fixture(name)) {
  return parseWith(plugin.formats, name.slice(name.lastIndexOf("/") + 1), bytes);
}

export const encode = (text: string) => new TextEncoder().encode(text);

export function ofKind<K extends Fact["kind"]>(facts: Fact[], kind: K): Extract<Fact, { kind: K }>[] {
  return facts.filter((fact): fact is Extract<Fact, { kind: K }> => fact.kind === kind);
}
