import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES } from "./helpers.js";

/** Deterministic xorshift so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(original);
  const kind = Math.floor(next() * 4);
  if (kind === 0) return bytes.subarray(0, Math.floor(next() * bytes.length));
  if (kind === 1) {
    for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
      bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
    }
    return bytes;
  }
  if (kind === 2) {
    // An absurd header length, keeping the rest.
    new DataView(bytes.buffer).setBigUint64(0, BigInt(Math.floor(next() * 2 ** 53)), true);
    return bytes;
  }
  // Overwrite a digit inside the header with a huge number.
  const text = new TextDecoder("latin1").decode(bytes);
  const digit = text.search(/\d{1,3}[,\]]/);
  if (digit < 8) return bytes;
  const patched = `${text.slice(0, digit)}18446744073709551616${text.slice(digit + 1)}`;
  return Uint8Array.from(patched, (character) => character.charCodeAt(0));
}

test("mutated safetensors headers never throw, hang or pass silently", async () => {
  const seeds = ["model_f32.safetensors", "mixed_dtypes.safetensors", "empty_tensors.safetensors"];
  const next = random(20240601);
  const started = Date.now();
  for (const file of seeds) {
    const original = readFileSync(`${FIXTURES}${file}`);
    for (let round = 0; round < 300; round++) {
      const bytes = mutate(original, next);
      const result = await parseWith(plugin.formats, file, bytes);
      if (!result.formats.includes("safetensors")) continue;
      const anomalies = result.facts.filter((fact) => fact.kind === "anomaly");
      // Fail closed: a mutation that breaks the layout is seen; one that keeps it valid has no anomaly.
      if (result.inconclusive.length > 0) expect(anomalies.length).toBeGreaterThan(0);
    }
  }
  expect(Date.now() - started).toBeLessThan(20_000);
});
