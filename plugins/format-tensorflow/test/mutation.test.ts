import { seededRandom as random } from "@modelaudit/core/testing";
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
      copy[at] = (copy[at] as number) ^ (1 << Math.floor(next() * 8));
    }
    return copy;
  }
  // An absurd length: a run of 0xff / 0x7f bytes reads as a huge varint (length, count or tag).
  const at = Math.floor(next() * Math.max(1, copy.length - 6));
  copy.fill(next() < 0.5 ? 0x7f : 0xff, at, at + 6);
  return copy;
}

const SEEDS_PER_FILE = 200;
const FILES = [
  "savedmodel-benign/saved_model.pb",
  "savedmodel-eagerpyfunc-in-function/saved_model.pb",
  "graphdef-frozen-benign.pb",
  "graphdef-file-ops.pb",
  "metagraph-benign.meta",
  "savedmodel-keras-lambda/keras_metadata.pb",
];

describe("mutated TensorFlow files never throw or hang", () => {
  for (const name of FILES) {
    it(`${name}: ${SEEDS_PER_FILE} seeded truncations, bit flips and absurd lengths`, async () => {
      const original = fixture(name);
      const next = random(name.length * 7919);
      let noticed = 0;
      for (let seed = 0; seed < SEEDS_PER_FILE; seed++) {
        const mutated = mutate(original, next);
        const started = performance.now();
        const parsed = await parse(name, mutated);
        // A hang guard, not a speed test: a parse takes milliseconds; a loaded CI machine may stretch it tenfold.
        expect(performance.now() - started).toBeLessThan(5000);
        const anomalies = parsed.facts.filter((fact) => fact.kind === "anomaly");
        // Fail closed: whatever is inconclusive says why with an anomaly.
        if (parsed.inconclusive.length > 0) {
          noticed++;
          expect(anomalies.length).toBeGreaterThan(0);
        }
      }
      // A flip inside a string or a cut on a field boundary is legitimately unseen; most are not.
      expect(noticed).toBeGreaterThan(SEEDS_PER_FILE / 4);
    });
  }

  it("a GraphDef of a million empty nodes stops at the node bound without allocating them all", async () => {
    const bytes = new Uint8Array(2 * 1_000_001 + 4).fill(0);
    bytes.set([0x0a, 0x04, 0x0a, 0x01, 0x61, 0x12]); // looks like a GraphDef to the sniffer: name "a", then op
    bytes.set([0x01, 0x4d], 6);
    bytes.set([0x0a, 0x00], 0);
    // Rebuild: first node name "a" op "M", then 1,000,000 empty NodeDefs (0x0a 0x00).
    const head = new Uint8Array([0x0a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x4d]);
    const graph = new Uint8Array(head.length + 2 * 1_000_000);
    graph.set(head);
    for (let offset = head.length; offset < graph.length; offset += 2) graph[offset] = 0x0a;
    // No wall-clock assertion (machines under load vary tenfold): the bound is what is checked, and a
    // parse that allocated every node or hung would hit the test timeout.
    const parsed = await parse("huge.pb", graph);
    expect(parsed.inconclusive).toEqual(["TensorFlow GraphDef: more than 1000000 nodes; the rest were not read"]);
  });
});
