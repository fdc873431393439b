/**
 * `identify` as the steganography and binary detectors call it, before (the per-magic search, kept
 * in test/identify-reference.ts) and after (the magics indexed). Handlers: the recommended preset's
 * magics with a cheap sniffer, so the search is what is measured. Run: pnpm --filter @modelaudit/core bench
 */
import { createHash, randomFillSync } from "node:crypto";
import { bench, describe } from "vitest";
import type { Registry } from "../src/engine/registry.js";
import { identifyBytes } from "../src/engine/sniff.js";
import { FIRST_PARTY_HANDLERS, identifyReference } from "../test/identify-reference.js";

const registry = { handlers: FIRST_PARTY_HANDLERS } as unknown as Registry;
const random = (length: number) => randomFillSync(new Uint8Array(length));

function weights(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const values = new Float32Array(bytes.buffer);
  for (let index = 0; index < values.length; index++) values[index] = 0.02 * Math.sin(index * 0.7) + 0.001;
  return bytes;
}

// A 1 GiB float32 safetensors model of 256 tensors: five low-bit planes' 16 KiB windows per tensor.
const planes = Array.from({ length: 1280 }, () => random(16 * 1024));
describe("stego: 1,280 windows of 16 KiB, magicOnly, every handler", () => {
  bench("per-magic search (before)", () => {
    for (const window of planes) identifyReference(registry, window, { magicOnly: true });
  });
  bench("indexed magics", () => {
    for (const window of planes) identifyBytes(registry, window, { magicOnly: true });
  });
  bench("SHA-256 of the same 20 MiB", () => {
    const hash = createHash("sha256");
    for (const window of planes) hash.update(window);
    hash.digest();
  });
});

// The byte pass's 4 MiB chunks, executables only.
const formats = ["elf", "pe", "mach-o"];
for (const [name, chunk] of [
  ["random", random(4 << 20)],
  ["float32 weights", weights(4 << 20)],
] as const) {
  describe(`binary: 4 MiB of ${name}, executables only, magicOnly`, () => {
    bench("per-magic search (before)", () => {
      identifyReference(registry, chunk, { formats, magicOnly: true });
    });
    bench("indexed magics", () => {
      identifyBytes(registry, chunk, { formats, magicOnly: true });
    });
  });
}
