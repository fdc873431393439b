import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Fact, TensorFact } from "../facts.js";
import type { FormatHandler } from "../plugin.js";
import { type ParsedFacts, parseWith } from "./index.js";

/** The tensor facts among `facts`. */
export function tensorFacts(facts: readonly Fact[]): TensorFact[] {
  return facts.filter((fact): fact is TensorFact => fact.kind === "tensor");
}

/** What a format fixture's generator wrote beside it: per tensor, as the loader reads it. */
export interface ExpectedTensor {
  dtype: string;
  shape: number[];
  byteLength: number;
  /** SHA-256 of the tensor's bytes in file order. */
  sha256: string;
}

/**
 * Every declared tensor's bytes as the engine would read them, by name: the declared range of the
 * parsed file (`bytes`), of a sibling member among `parsed.children`, or the handler's own source.
 * Problems (a range past the end, a source that stops short) are listed, not thrown.
 */
async function declaredTensorBytes(
  parsed: ParsedFacts,
  bytes: Uint8Array,
): Promise<{ tensors: Map<string, Uint8Array>; problems: string[] }> {
  const tensors = new Map<string, Uint8Array>();
  const problems: string[] = [];
  for (const fact of tensorFacts(parsed.facts)) {
    if (!fact.data) continue;
    const { offset, length, member } = fact.data;
    const holder = member === undefined ? bytes : parsed.children.find((child) => child.chain.at(-1) === member)?.bytes;
    if (!holder) problems.push(`${fact.name}: member ${member} was not scanned`);
    else if (offset + length > holder.length)
      problems.push(`${fact.name}: ${offset}+${length} is past ${holder.length}`);
    else tensors.set(fact.name, holder.subarray(offset, offset + length));
  }
  for (const { fact, source } of parsed.tensorSources) {
    const data = await source.read(0, source.size);
    if (data.length !== source.size)
      problems.push(`${fact.name}: its source gave ${data.length} of ${source.size} bytes`);
    tensors.set(fact.name, data);
  }
  return { tensors, problems };
}

/** Differences between the tensors a handler declared and what the fixture's generator expects (empty when equal). */
export async function compareDeclaredTensors(
  parsed: ParsedFacts,
  bytes: Uint8Array,
  expected: Readonly<Record<string, ExpectedTensor>>,
): Promise<string[]> {
  const { tensors, problems } = await declaredTensorBytes(parsed, bytes);
  const facts = new Map(tensorFacts(parsed.facts).map((fact) => [fact.name, fact]));
  const names = [...tensors.keys()].sort().join(", ");
  const wanted = Object.keys(expected).sort().join(", ");
  if (names !== wanted) problems.push(`tensors with data: [${names}], expected [${wanted}]`);
  for (const [name, want] of Object.entries(expected)) {
    const fact = facts.get(name);
    const data = tensors.get(name);
    if (!fact || !data) continue;
    const got = { dtype: fact.dtype, shape: fact.shape, byteLength: data.length };
    const exp = { dtype: want.dtype, shape: want.shape, byteLength: want.byteLength };
    if (JSON.stringify(got) !== JSON.stringify(exp))
      problems.push(`${name}: ${JSON.stringify(got)}, expected ${JSON.stringify(exp)}`);
    const digest = createHash("sha256").update(data).digest("hex");
    if (digest !== want.sha256) problems.push(`${name}: sha256 ${digest}, expected ${want.sha256}`);
  }
  return problems;
}

/**
 * Parses `file` in a fixture folder with `handlers` and compares its declared tensors with
 * `<file>.expected.json` (`{ "tensors": { name: ExpectedTensor } }`) written beside it by the generator.
 * Problems include every inconclusive reason: a fixture read as its loader reads it has none.
 */
export async function checkTensorFixture(
  handlers: readonly FormatHandler[],
  directory: string,
  file: string,
): Promise<{ parsed: ParsedFacts; problems: string[] }> {
  const filePath = path.join(directory, file);
  const bytes = new Uint8Array(readFileSync(filePath));
  const expected = JSON.parse(readFileSync(`${filePath}.expected.json`, "utf8")).tensors;
  const parsed = await parseWith(handlers, filePath, bytes);
  const problems = parsed.inconclusive.map((reason) => `inconclusive: ${reason}`);
  problems.push(...(await compareDeclaredTensors(parsed, bytes, expected)));
  return { parsed, problems };
}
