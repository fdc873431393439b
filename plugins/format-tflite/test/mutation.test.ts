import { parseWith } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { fixtureBytes } from "./helpers.js";

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Truncations, bit flips, and absurd u32 values written over random 4-byte-aligned words (offsets, lengths). */
function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(original);
  const view = new DataView(bytes.buffer);
  const kind = Math.floor(next() * 3);
  if (kind === 0) return bytes.subarray(0, 8 + Math.floor(next() * (bytes.length - 8)));
  if (kind === 1) {
    for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
      bytes[8 + Math.floor(next() * (bytes.length - 8))]! ^= 1 << Math.floor(next() * 8);
    }
    return bytes;
  }
  const at = 4 * Math.floor(next() * (bytes.length / 4 - 1));
  const values = [0xffffffff, 0x7fffffff, 0x80000000, bytes.length, bytes.length - 4, 1, 0];
  view.setUint32(at === 4 ? 0 : at, values[Math.floor(next() * values.length)]!, true);
  return bytes;
}

test("mutated TFLite models never throw or hang; rejections always come with an anomaly", async () => {
  const seeds = [
    "benign_builtin_ops.tflite",
    "custom_op_detection_postprocess.tflite",
    "benign_external_buffer.tflite",
  ];
  const next = random(4242);
  const started = Date.now();
  let rejected = 0;
  for (const file of seeds) {
    const original = fixtureBytes(file);
    for (let round = 0; round < 400; round++) {
      const result = await parseWith(plugin.formats, file, mutate(original, next));
      if (result.inconclusive.length > 0) {
        rejected++;
        expect(result.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
      }
    }
  }
  expect(rejected).toBeGreaterThan(100);
  expect(Date.now() - started).toBeLessThan(20_000);
});
