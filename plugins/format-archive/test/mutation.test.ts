import { BufferSource, DEFAULT_LIMITS, type FormatHandler, type ParseContext, type Source } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { tarHandler } from "../src/index.js";
import { CountingSource, corpus, fixture, handlers, hasCorpus, patchTarHeader, runHandler } from "./helpers.js";

function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const choice = next();
  if (choice < 0.3) return original.slice(0, Math.floor(next() * original.length));
  const copy = original.slice();
  const flips = 1 + Math.floor(next() * 8);
  for (let index = 0; index < flips; index++) {
    const position = Math.floor(next() * copy.length);
    copy[position] =
      choice < 0.65 ? (copy[position] as number) ^ (1 << Math.floor(next() * 8)) : Math.floor(next() * 256);
  }
  return copy;
}

const LIMITS = { ...DEFAULT_LIMITS, maxInMemoryBytes: 8 * 1024 * 1024, maxInflatedBytes: 32 * 1024 * 1024 };

/** Parses with every handler that claims the bytes, recursing into children, like the engine does. */
async function scanAll(name: string, source: Source, depth: number, budget: { inflated: number }): Promise<void> {
  const head = await source.read(0, 64 * 1024);
  const tail = await source.read(Math.max(0, source.size - 65_558), 65_558);
  const claimed = handlers.filter((handler: FormatHandler) =>
    handler.sniff({ head, tail, size: source.size, name, extension: "", parentFormats: [] }),
  );
  for (const handler of claimed) {
    const context: ParseContext = {
      source,
      file: name,
      memberChain: [],
      limits: LIMITS,
      level: "standard",
      emit: () => undefined,
      emitTensor: () => undefined,
      addFormat: () => undefined,
      scanChild: async (childName, child) => {
        if (depth < 3) await scanAll(childName, child, depth + 1, budget);
      },
      inconclusive: () => undefined,
      checkDeadline: () => undefined,
      chargeInflated: (bytes) => {
        budget.inflated += bytes;
        if (budget.inflated > LIMITS.maxInflatedBytes)
          throw Object.assign(new Error("budget"), { [Symbol.for("modelaudit.LimitError")]: true });
      },
    };
    await handler.parse(context);
  }
}

const samples: [string, () => Uint8Array][] = [
  ["deflated.zip", () => fixture("deflated.zip")],
  ["zip64-full.zip", () => fixture("zip64-full.zip")],
  ["solid-lzma.7z", () => fixture("solid-lzma.7z")],
  ["ustar.tar", () => fixture("ustar.tar")],
  ["gnu-long.tar", () => fixture("gnu-long.tar")],
  ["pax-long.tar", () => fixture("pax-long.tar")],
  ["model.tar.gz", () => fixture("model.tar.gz")],
  ["payload.pkl.gz", () => fixture("payload.pkl.gz")],
  ["payload.pkl.bz2", () => fixture("payload.pkl.bz2")],
  ["payload.pkl.xz", () => fixture("payload.pkl.xz")],
  ["payload.pkl.lzma", () => fixture("payload.pkl.lzma")],
  ["payload.pkl.zst", () => fixture("payload.pkl.zst")],
  ...(hasCorpus
    ? ([
        ["malicious1.7z", () => corpus("data/malicious1.7z")],
        ["new_pytorch_model.bin", () => corpus("data/new_pytorch_model.bin")],
      ] as [string, () => Uint8Array][])
    : []),
];

describe("mutated archives", () => {
  it.each(samples)("%s: 40 seeded mutants each finish fast, throw nothing, stay bounded", async (name, load) => {
    let original: Uint8Array;
    try {
      original = load();
    } catch {
      return; // the optional zstd fixture is absent when the generator ran without the zstd CLI
    }
    const next = seededRandom(0x5eed ^ name.length ^ original.length);
    const baseline = process.memoryUsage().rss;
    for (let index = 0; index < 40; index++) {
      const mutant = mutate(original, next);
      const started = performance.now();
      await expect(scanAll(name, new BufferSource(name, mutant), 0, { inflated: 0 })).resolves.toBeUndefined();
      expect(performance.now() - started).toBeLessThan(10_000);
    }
    expect(process.memoryUsage().rss - baseline).toBeLessThan(256 * 1024 * 1024);
  });
});

/** A size field that still passes the checksum: octal or base-256, small, past the end, or past 2^53. */
function absurdSizeField(next: () => number): Uint8Array {
  const field = new Uint8Array(12);
  const choice = next();
  if (choice < 0.4) {
    const value = Math.floor(next() * 8 ** 11);
    field.set(new TextEncoder().encode(`${value.toString(8).padStart(11, "0")}\0`));
  } else {
    field[0] = choice < 0.9 ? 0x80 : 0xff;
    for (let index = 1; index < 12; index++) field[index] = next() < 0.5 ? 0 : Math.floor(next() * 256);
  }
  return field;
}

describe("tar headers with absurd lengths", () => {
  it.each(["ustar.tar", "gnu-long.tar", "pax-long.tar"])(
    "%s: 60 seeded size fields (checksums fixed up) finish fast and read only what exists",
    async (name) => {
      const original = fixture(name);
      const next = seededRandom(0x7a2 ^ original.length);
      const headers: number[] = [];
      for (let offset = 0; offset + 512 <= original.length; offset += 512) {
        const block = original.subarray(offset, offset + 512);
        if (block[257] === 0x75 && block[258] === 0x73) headers.push(offset);
      }
      expect(headers.length).toBeGreaterThan(1);
      for (let index = 0; index < 60; index++) {
        const offset = headers[Math.floor(next() * headers.length)] as number;
        const mutant = patchTarHeader(original, offset, 124, absurdSizeField(next));
        const started = performance.now();
        await expect(scanAll(name, new BufferSource(name, mutant), 0, { inflated: 0 })).resolves.toBeUndefined();
        expect(performance.now() - started).toBeLessThan(10_000);
        // The walk reads headers, never a declared size: at most the file, however large the field.
        const counting = new CountingSource(new BufferSource(name, mutant));
        const run = await runHandler(tarHandler, counting);
        expect(counting.bytesRead).toBeLessThanOrEqual(mutant.length);
        const sizes = run.children.map((child) => child.source.size);
        expect(sizes.every((size) => size <= mutant.length)).toBe(true);
      }
    },
  );
});
