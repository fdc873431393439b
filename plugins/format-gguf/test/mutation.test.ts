import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES } from "./helpers.js";

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Truncations, bit flips, and absurd u64/u32 values written over random 8-byte-aligned fields. */
function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(original);
  const view = new DataView(bytes.buffer);
  const kind = Math.floor(next() * 3);
  if (kind === 0) return bytes.subarray(0, Math.floor(next() * bytes.length));
  if (kind === 1) {
    for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
      bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
    }
    return bytes;
  }
  const at = 8 + Math.floor(next() * (bytes.length - 16));
  const values = [2n ** 64n - 1n, 2n ** 62n, 2n ** 32n, 0xffffffffn, 1000000n];
  view.setBigUint64(at, values[Math.floor(next() * values.length)]!, true);
  return bytes;
}

test("mutated GGUF headers never throw, hang or allocate what they claim", async () => {
  const seeds = [
    "tiny_llama_v3.gguf",
    "tiny_llama_v1.gguf",
    "tiny_llama_big_endian.gguf",
    "nested_arrays_alignment64.gguf",
  ];
  const next = random(77);
  const started = Date.now();
  for (const file of seeds) {
    const original = readFileSync(`${FIXTURES}${file}`);
    for (let round = 0; round < 250; round++) {
      const result = await parseWith(plugin.formats, file, mutate(original, next));
      if (result.inconclusive.length > 0 && result.formats.includes("gguf")) {
        expect(result.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
      }
    }
  }
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3);
});
