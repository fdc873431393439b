import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { codes, fixture, parse } from "./helpers.js";

const SEEDS = [
  "plain-p0.pkl",
  "plain-p2.pkl",
  "plain-p4.pkl",
  "joblib-arrays-p4.joblib",
  "sklearn-logreg.joblib",
  "torch-legacy.pt",
  "object.npy",
  "dill-lambda.pkl",
];

/** Huge length fields: BINBYTES8, BINUNICODE, LONG4, BINSTRING, FRAME. */
const HUGE_FIELDS = [
  [0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f],
  [0x58, 0xff, 0xff, 0xff, 0xff],
  [0x8b, 0xff, 0xff, 0xff, 0x7f],
  [0x54, 0xff, 0xff, 0xff, 0x7f],
  [0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00],
];

function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const pick = (limit: number) => Math.floor(next() * limit);
  const kind = pick(3);
  if (kind === 0) return original.slice(0, 1 + pick(original.length - 1));
  if (kind === 1) {
    const copy = original.slice();
    const flips = 1 + pick(4);
    for (let index = 0; index < flips; index++) {
      const at = pick(copy.length);
      copy[at] = (copy[at] as number) ^ (1 << pick(8));
    }
    return copy;
  }
  const field = HUGE_FIELDS[pick(HUGE_FIELDS.length)] as number[];
  const at = 2 + pick(original.length - 2);
  const out = new Uint8Array(original.length + field.length);
  out.set(original.subarray(0, at));
  out.set(field, at);
  out.set(original.subarray(at), at + field.length);
  return out;
}

describe("mutated real files", () => {
  it.each(SEEDS)(
    "%s: 40 seeded mutants never throw, finish fast, and a broken stream is inconclusive",
    async (name) => {
      const original = fixture(name);
      const next = seededRandom(name.length * 7919);
      for (let round = 0; round < 40; round++) {
        const mutant = mutate(original, next);
        const started = performance.now();
        const result = await parse(mutant, name);
        expect(performance.now() - started).toBeLessThan(10_000);
        const seen = codes(result);
        if (seen.includes("truncated") || seen.includes("limit-exceeded")) {
          expect(result.inconclusive.length).toBeGreaterThan(0);
        }
      }
    },
  );
});
