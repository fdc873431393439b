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

/** Truncations, bit flips, and absurd varints (lengths up to 2**63) written over random bytes. */
function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const kind = Math.floor(next() * 3);
  if (kind === 0) return original.slice(0, Math.floor(next() * original.length));
  const bytes = Uint8Array.from(original);
  if (kind === 1) {
    for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
      const at = 1 + Math.floor(next() * (bytes.length - 1));
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(next() * 8));
    }
    return bytes;
  }
  const at = 2 + Math.floor(next() * (bytes.length - 12));
  const absurd = [
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
    [0x80, 0x80, 0x80, 0x80, 0x10],
    [0xff, 0xff, 0xff, 0xff, 0x0f],
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  ][Math.floor(next() * 4)]!;
  bytes.set(absurd.slice(0, bytes.length - at), at);
  return bytes;
}

/** Offsets where a top-level ModelProto field ends (the writer's varints are well formed). */
function topLevelBoundaries(bytes: Uint8Array): Set<number> {
  const ends = new Set<number>();
  let position = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[position++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (position < bytes.length) {
    const wire = varint() % 8;
    const value = varint();
    if (wire === 2) position += value;
    ends.add(position);
  }
  return ends;
}

test("mutated ONNX models never throw or hang; damage gives anomalies and inconclusive", async () => {
  const seeds = [
    "benign_cnn_torch_export.onnx",
    "benign_control_flow_sparse.onnx",
    "local_function_pythonop.onnx",
    "deep_if_nesting_40.onnx",
  ];
  const next = random(4242);
  const started = Date.now();
  let inconclusive = 0;
  let rounds = 0;
  for (const file of seeds) {
    const original = readFileSync(`${FIXTURES}${file}`);
    const full = await parseWith(plugin.formats, file, original);
    const fullNodes = full.facts.filter((fact) => fact.kind === "graph-node").length;
    const boundaries = topLevelBoundaries(original);
    for (let round = 0; round < 300; round++) {
      const mutated = mutate(original, next);
      const result = await parseWith(plugin.formats, file, mutated);
      rounds++;
      if (result.inconclusive.length > 0) {
        inconclusive++;
        expect(result.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
      }
      // A cut that loses operators is never reported as fully read.
      const lost = result.facts.filter((fact) => fact.kind === "graph-node").length < fullNodes;
      // A cut exactly between two top-level fields is a valid, shorter ModelProto: protobuf cannot tell.
      const cut = mutated.length < original.length && !boundaries.has(mutated.length);
      if (cut && result.formats.includes("onnx") && lost) {
        expect(result.inconclusive.length, `${file} cut at ${mutated.length}`).toBeGreaterThan(0);
      }
    }
  }
  expect(inconclusive).toBeGreaterThan(rounds / 4);
  expect(Date.now() - started).toBeLessThan(30_000);
});

test("every strict prefix that loses an operator is inconclusive (fail closed)", async () => {
  const original = readFileSync(`${FIXTURES}benign_control_flow_sparse.onnx`);
  const countNodes = (facts: { kind: string }[]) => facts.filter((fact) => fact.kind === "graph-node").length;
  const full = countNodes((await parseWith(plugin.formats, "full.onnx", original)).facts);
  let checked = 0;
  for (let length = 1; length < original.length; length++) {
    const result = await parseWith(plugin.formats, "cut.onnx", original.subarray(0, length));
    if (!result.formats.includes("onnx")) continue;
    if (countNodes(result.facts) < full) {
      checked++;
      expect(result.inconclusive.length, `prefix ${length}`).toBeGreaterThan(0);
    }
  }
  expect(checked).toBeGreaterThan(original.length / 2);
});
