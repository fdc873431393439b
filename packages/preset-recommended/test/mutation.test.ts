import { readFileSync } from "node:fs";
import path from "node:path";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// Property: whatever damage is done to a real model file (truncation, bit flips, absurd length
// fields, spliced bytes), the whole scanner answers with findings or an inconclusive outcome that
// names the reason: never an exception, an "error" outcome, a hang, or a silent clean on a file it
// could not read to the end.
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle");
const seeds = [
  "torch_zip_checkpoint.pth",
  "torch_legacy_state_dict.pt",
  "sklearn_random_forest.joblib",
  "sklearn_logreg.joblib.gz",
  "numpy_object_benign.npz",
  "plain_nested_p0.pkl",
  "plain_nested_p5.pkl",
  "os_system_p4.pkl",
];

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function random(seed: number) {
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
  const bytes = Uint8Array.from(original);
  const at = () => Math.floor(next() * bytes.length);
  switch (Math.floor(next() * 4)) {
    case 0:
      return bytes.subarray(0, at());
    case 1: {
      for (let flips = 1 + Math.floor(next() * 8); flips > 0; flips--) {
        const position = at();
        bytes[position] = (bytes[position] ?? 0) ^ (1 << Math.floor(next() * 8));
      }
      return bytes;
    }
    case 2: {
      // An absurd little-endian length written over 4 or 8 bytes somewhere.
      const offset = at();
      for (let index = 0; index < 8 && offset + index < bytes.length; index++) bytes[offset + index] = 0xff;
      if (offset + 3 < bytes.length) bytes[offset + 3] = 0x7f;
      return bytes;
    }
    default: {
      const cut = at();
      const spliceFrom = at();
      const out = new Uint8Array(bytes.length + 64);
      out.set(bytes.subarray(0, cut));
      out.set(bytes.subarray(spliceFrom, spliceFrom + 64), cut);
      out.set(bytes.subarray(cut), cut + Math.min(64, bytes.length - spliceFrom));
      return out;
    }
  }
}

describe("mutated real model files", () => {
  it.each(seeds)("%s: 60 mutants, no crash, no hang, no error outcome", async (name) => {
    const original = new Uint8Array(readFileSync(path.join(fixtures, name)));
    const next = random(name.length * 7919);
    for (let index = 0; index < 60; index++) {
      const mutant = mutate(original, next);
      const started = Date.now();
      const report = await scanBytes(name, mutant, [preset], { limits: { timeoutMs: 10_000 } });
      const [file] = report.files;
      expect(Date.now() - started, `${name} mutant ${index}`).toBeLessThan(10_000);
      expect(file?.outcome, `${name} mutant ${index}: ${file?.reasons.join("; ")}`).not.toBe("error");
      if (file?.outcome === "inconclusive") expect(file.reasons.length).toBeGreaterThan(0);
    }
  });
});
