import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  BufferSource,
  DEFAULT_LIMITS,
  type Fact,
  type FormatHandler,
  LimitError,
  type Limits,
  type ParseContext,
  type Source,
} from "@modelaudit/core";
import { picklescanCorpus } from "@modelaudit/core/testing";
import { sevenZipHandler, streamHandlers, tarHandler, zipHandler } from "../src/index.js";

export const handlers: FormatHandler[] = [zipHandler, tarHandler, sevenZipHandler, ...streamHandlers];

const fixtures = new URL("./fixtures/", import.meta.url);
const corpusPath = picklescanCorpus();
export const corpusDirectory = pathToFileURL(`${corpusPath ?? "/nonexistent/picklescan-corpus"}/`);
export const hasCorpus = corpusPath !== undefined;

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, fixtures)));
}

export function corpus(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, corpusDirectory)));
}

export function entries(facts: Fact[]) {
  return facts.filter((fact) => fact.kind === "entry");
}

export function anomalies(facts: Fact[]) {
  return facts.filter((fact) => fact.kind === "anomaly");
}

export interface DirectRun {
  facts: Fact[];
  inconclusive: string[];
  formats: string[];
  children: { name: string; source: Source }[];
  inflated: number;
}

/**
 * Runs one handler over a source with chosen limits, without recursing: for the limit, memory and
 * streaming tests that `parseWith` (default limits, reads every child) cannot express.
 */
export async function runHandler(
  handler: FormatHandler,
  source: Source,
  limits: Partial<Limits> = {},
): Promise<DirectRun> {
  const run: DirectRun = { facts: [], inconclusive: [], formats: [], children: [], inflated: 0 };
  const merged: Limits = { ...DEFAULT_LIMITS, ...limits };
  const context: ParseContext = {
    source,
    file: source.name,
    memberChain: [],
    limits: merged,
    level: "standard",
    emit: (fact) => run.facts.push(fact),
    emitTensor: (fact) => run.facts.push(fact),
    addFormat: (format) => run.formats.push(format),
    scanChild: async (name, child) => {
      run.children.push({ name, source: child });
    },
    inconclusive: (reason) => run.inconclusive.push(reason),
    checkDeadline: () => undefined,
    chargeInflated: (bytes) => {
      run.inflated += bytes;
      if (run.inflated > merged.maxInflatedBytes) throw new LimitError("inflated budget spent");
    },
  };
  await handler.parse(context);
  return run;
}

/** A source that counts the bytes read through it. */
export class CountingSource implements Source {
  bytesRead = 0;
  constructor(private readonly inner: Source) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.inner.read(offset, length);
    this.bytesRead += bytes.length;
    return bytes;
  }
}

export function bufferSource(name: string, bytes: Uint8Array): BufferSource {
  return new BufferSource(name, bytes);
}

/** Rewrites one field of the header at `offset` and recomputes its checksum, as a tar writer would. */
export function patchTarHeader(original: Uint8Array, offset: number, start: number, field: Uint8Array): Uint8Array {
  const bytes = original.slice();
  bytes.set(field, offset + start);
  bytes.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let index = offset; index < offset + 512; index++) sum += bytes[index] as number;
  bytes.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), offset + 148);
  return bytes;
}
