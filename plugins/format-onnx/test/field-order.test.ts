import { readFileSync } from "node:fs";
import type { Fact } from "@modelaudit/core";
import { parseWith, seededRandom } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES, manifest, nodes, references } from "./helpers.js";

// Metamorphic: protobuf (onnx.load) reads a ModelProto the same whatever order its top-level fields
// come in, so the scanner must too: every well-formed fixture, its fields shuffled, is still
// claimed under any name and yields the same operators and external references.

/** The top-level fields of a message, each with its tag, in file order. */
function topLevelFields(bytes: Uint8Array): Uint8Array[] {
  const fields: Uint8Array[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const start = at;
    const wire = varint() % 8;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint(); // read before moving `at` (at += varint() would add to the old value)
      at += length;
    } else at += wire === 1 ? 8 : 4;
    fields.push(bytes.subarray(start, at));
  }
  return fields;
}

function shuffled(fields: Uint8Array[], next: () => number): Uint8Array {
  const order = [...fields];
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other] as Uint8Array, order[index] as Uint8Array];
  }
  return Uint8Array.from(order.flatMap((field) => [...field]));
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
    const fields = topLevelFields(original);
    const next = seededRandom(fields.length * 7919 + original.length);
    for (let round = 0; round < 6; round++) {
      const bytes = shuffled(fields, next);
      for (const name of [file, "model.bin"]) {
        const parsed = await parseWith(plugin.formats, name, bytes);
        expect(parsed.formats, `${file} round ${round} as ${name}`).toEqual(["onnx"]);
        expect(summary(parsed.facts), `${file} round ${round}`).toEqual(expected);
      }
    }
  },
);
