import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { FIXTURES, scanCollecting } from "./helpers.js";

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

test("mutated TorchScript archives never fail the scan or hang", async () => {
  const next = random(99);
  const started = Date.now();
  for (const file of ["load_library_custom_op.pt", "shipped_native_library.pt"]) {
    const original = new Uint8Array(readFileSync(`${FIXTURES}${file}`));
    for (let round = 0; round < 120; round++) {
      const bytes = Uint8Array.from(original);
      if (next() < 0.3) {
        const cut = Math.floor(next() * bytes.length);
        const collected = await scanCollecting(file, bytes.subarray(0, cut));
        expect(collected.report.files[0]!.outcome).not.toBe("error");
        continue;
      }
      for (let flips = 1 + Math.floor(next() * 8); flips > 0; flips--) {
        bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      }
      const collected = await scanCollecting(file, bytes);
      expect(collected.report.files[0]!.outcome).not.toBe("error");
      expect(collected.report.files[0]!.reasons.join("\n")).not.toMatch(/torchscript could not parse/);
    }
  }
  expect(Date.now() - started).toBeLessThan(30_000);
});
