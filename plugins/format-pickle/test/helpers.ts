import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AnomalyFact, CallFact, Fact, ImportFact, TensorFact, TextFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith, picklescanCorpus } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

export const handlers = plugin.formats;

export const FIXTURES = path.join(import.meta.dirname, "fixtures");
export const SHARED_FIXTURES = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle");
/** The picklescan corpus, read in place; tests over it skip when it is absent. */
export const CORPUS = picklescanCorpus() ?? "/nonexistent/picklescan-corpus";

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, name)));
}

export function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export function parse(bytes: Uint8Array, name = "input.bin"): Promise<ParsedFacts> {
  return parseWith(handlers, name, bytes);
}

export const imports = (result: ParsedFacts) =>
  result.facts.filter((fact): fact is ImportFact => fact.kind === "import");
export const calls = (result: ParsedFacts) => result.facts.filter((fact): fact is CallFact => fact.kind === "call");
export const anomalies = (result: ParsedFacts) =>
  result.facts.filter((fact): fact is AnomalyFact => fact.kind === "anomaly");
export const texts = (result: ParsedFacts) => result.facts.filter((fact): fact is TextFact => fact.kind === "text");
export const tensors = (result: ParsedFacts) =>
  result.facts.filter((fact): fact is TensorFact => fact.kind === "tensor");
export const names = (facts: readonly (ImportFact | CallFact)[]) =>
  facts.map((fact) => {
    const target = fact.kind === "import" ? fact : fact.callee;
    return target.module === null ? null : `${target.module}.${target.name}`;
  });

export function codes(result: ParsedFacts): string[] {
  return anomalies(result).map((fact) => fact.code);
}

export type { Fact };

// ---------------------------------------------------------------------------------------------
// A tiny pickle assembler for hand-made byte sequences.

type Part = string | number | Uint8Array | readonly number[];

/** Concatenates parts: strings as Latin-1 bytes, numbers as single bytes, arrays as bytes. */
export function bytes(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === "string") for (const character of part) out.push(character.charCodeAt(0) & 0xff);
    else if (typeof part === "number") out.push(part & 0xff);
    else for (const byte of part) out.push(byte);
  }
  return new Uint8Array(out);
}

export function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

export function u64(value: number): number[] {
  return [...u32(value % 2 ** 32), ...u32(Math.floor(value / 2 ** 32))];
}

/** SHORT_BINUNICODE of an ASCII string. */
export function shortUnicode(text: string): Uint8Array {
  return bytes(0x8c, text.length, text);
}

/** BINUNICODE of a UTF-8 string. */
export function binUnicode(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  return bytes("X", u32(encoded.length), encoded);
}
