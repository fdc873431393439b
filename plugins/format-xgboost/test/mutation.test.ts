import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixture, parse } from "./helpers.js";

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const copy = bytes.slice();
  const choice = next();
  if (choice < 0.3) return copy.subarray(0, Math.floor(next() * copy.length));
  if (choice < 0.7) {
    const flips = 1 + Math.floor(next() * 8);
    for (let index = 0; index < flips; index++) {
      const at = Math.floor(next() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
    }
    return copy;
  }
  // An absurd length: 8 bytes of 0x7f / 0xff somewhere (hits UBJSON lengths, uint64 strings, counts).
  const at = Math.floor(next() * Math.max(1, copy.length - 8));
  copy.fill(next() < 0.5 ? 0x7f : 0xff, at, at + 8);
  return copy;
}

const SEEDS_PER_FILE = 150;
const FILES = [
  "xgb_binary_logistic.json",
  "xgb_binary_logistic.ubj",
  "xgb_binary_logistic.model",
  "xgb_dart_regression.model",
  "xgb_multiclass_softprob.ubj",
  "xgb_gblinear.ubj",
  "lightgbm_binary.txt",
  "lightgbm_pandas_categorical.txt",
];

describe("mutated models never throw or hang", () => {
  for (const name of FILES) {
    it(`${name}: ${SEEDS_PER_FILE} seeded truncations, bit flips and absurd lengths`, async () => {
      const original = fixture(name);
      const next = seededRandom(name.length * 7919);
      let anomalies = 0;
      for (let seed = 0; seed < SEEDS_PER_FILE; seed++) {
        const mutated = mutate(original, next);
        const started = performance.now();
        const parsed = await parse(name, mutated);
        expect(performance.now() - started).toBeLessThan(10_000);
        const anomalous = parsed.facts.some((fact) => fact.kind === "anomaly");
        // Fail closed: an anomaly that blocks parsing always comes with a reason.
        if (anomalous) anomalies++;
        if (parsed.inconclusive.length > 0) expect(anomalous).toBe(true);
      }
      // Most mutations must be noticed; a flip inside a float can legitimately go unseen.
      expect(anomalies).toBeGreaterThan(0);
    });
  }

  it("a UBJSON container of 2**30 zero-byte nulls is refused, not expanded", async () => {
    const bytes = new Uint8Array([
      0x7b,
      0x69,
      7,
      ...new TextEncoder().encode("learner"),
      0x5b,
      0x24,
      0x5a,
      0x23,
      0x6c,
      0x40,
      0,
      0,
      0,
      0x7d,
    ]);
    const parsed = await parse("bomb.ubj", bytes);
    expect(parsed.inconclusive[0]).toContain("zero-byte elements");
  });

  it("deep UBJSON nesting is bounded", async () => {
    const prefix = [0x7b, 0x69, 7, ...new TextEncoder().encode("learner")];
    const bytes = new Uint8Array([...prefix, ...new Array(10_000).fill(0x5b)]);
    const parsed = await parse("deep.ubj", bytes);
    expect(parsed.inconclusive[0]).toContain("nested deeper than 64");
  });
});
