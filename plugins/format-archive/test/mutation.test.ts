import { BufferSource, DEFAULT_LIMITS, type FormatHandler, type ParseContext, type Source } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { corpus, fixture, handlers, hasCorpus } from "./helpers.js";

/** Small deterministic PRNG (mulberry32) so every failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const next = random(0x5eed ^ name.length ^ original.length);
    const baseline = process.memoryUsage().rss;
    for (let index = 0; index < 40; index++) {
      const mutant = mutate(original, next);
      const started = performance.now();
      await expect(scanAll(name, new BufferSource(name, mutant), 0, { inflated: 0 })).resolves.toBeUndefined();
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(process.memoryUsage().rss - baseline).toBeLessThan(256 * 1024 * 1024);
  });
});
