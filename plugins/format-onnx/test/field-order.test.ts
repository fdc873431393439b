import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import { parseWith, protobufFields, seededRandom, shuffled } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES, manifest, nodes, references } from "./helpers.js";

// Metamorphic: protobuf (onnx.load) reads a ModelProto the same whatever order its top-level fields
// come in, so the scanner must too: every well-formed fixture, its fields shuffled, is still
// claimed under any name and yields the same operators and external references.

function shuffledMessage(fields: readonly Uint8Array[], next: () => number): Uint8Array {
  return Uint8Array.from(shuffled(fields, next).flatMap((field) => [...field]));
}

const summary = (facts: Fact[]) => ({
  ops: nodes(facts).map((node) => `${node.domain}::${node.op} ${node.location?.path}`),
  references: references(facts).map((reference) => reference.target),
});

const wellFormed = manifest().filter((entry) => entry.file.endsWith(".onnx") && entry.expect !== "inconclusive");

test.each(wellFormed.map((entry) => [entry.file]))(
  "%s: any order of its top-level fields reads the same",
  async (file) => {
    const original = new Uint8Array(readFileSync(`${FIXTURES}${file}`));
    const expected = summary((await parseWith(plugin.formats, file, original)).facts);
    const fields = protobufFields(original).map((field) => field.bytes);
    const next = seededRandom(fields.length * 7919 + original.length);
    for (let round = 0; round < 6; round++) {
      const bytes = shuffledMessage(fields, next);
      for (const name of [file, "model.bin"]) {
        const parsed = await parseWith(plugin.formats, name, bytes);
        expect(parsed.formats, `${file} round ${round} as ${name}`).toEqual(["onnx"]);
        expect(summary(parsed.facts), `${file} round ${round}`).toEqual(expected);
      }
    }
  },
);
