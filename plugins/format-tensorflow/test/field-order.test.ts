import { seededRandom } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import { fixture, graphNodes, manifest, parse } from "./helpers.js";

// Metamorphic: TensorFlow parses its protobufs with protobuf's ParseFromString, which takes the
// fields of a message in any order. Every well-formed fixture, its top-level fields and the fields
// of each GraphDef node shuffled, is still claimed by the same handler and yields the same ops.

interface Field {
  number: number;
  bytes: Uint8Array;
  payload: Uint8Array;
}

function fieldsOf(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
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
    const tag = varint();
    let payloadStart = at;
    if (tag % 8 === 0) varint();
    else if (tag % 8 === 2) {
      const length = varint();
      payloadStart = at;
      at += length;
    } else at += tag % 8 === 1 ? 8 : 4;
    fields.push({
      number: Math.floor(tag / 8),
      bytes: bytes.subarray(start, at),
      payload: bytes.subarray(payloadStart, at),
    });
  }
  return fields;
}

function lengthDelimited(number: number, payload: Uint8Array): number[] {
  const out = [number * 8 + 2];
  for (let rest = payload.length; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      out.push(rest);
      break;
    }
    out.push((rest % 128) | 0x80);
  }
  return [...out, ...payload];
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const order = [...items];
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other] as T, order[index] as T];
  }
  return order;
}

/** A GraphDef with its fields shuffled and every node's own fields shuffled too. */
function shuffledGraph(bytes: Uint8Array, next: () => number): Uint8Array {
  const fields = shuffle(fieldsOf(bytes), next).flatMap((field) =>
    field.number === 1
      ? lengthDelimited(1, Uint8Array.from(shuffle(fieldsOf(field.payload), next).flatMap((inner) => [...inner.bytes])))
      : [...field.bytes],
  );
  return Uint8Array.from(fields);
}

const ops = (facts: Parameters<typeof graphNodes>[0]) =>
  graphNodes(facts)
    .map((node) => node.op)
    .sort();

const cases = manifest().filter(
  (entry) => entry.expect !== "inconclusive" && /(saved_model\.pb|graphdef-.*\.pb|\.meta)$/.test(entry.file),
);

test.each(cases.map((entry) => [entry.file]))("%s: fields in any order read the same", async (file) => {
  const original = fixture(file);
  const reference = await parse(file, original);
  const next = seededRandom(original.length);
  for (let round = 0; round < 5; round++) {
    const bytes =
      file.endsWith("graphdef-frozen-benign.pb") || file.endsWith("graphdef-file-ops.pb")
        ? shuffledGraph(original, next)
        : Uint8Array.from(shuffle(fieldsOf(original), next).flatMap((field) => [...field.bytes]));
    const parsed = await parse(file, bytes);
    expect(parsed.formats, `${file} round ${round}`).toEqual(reference.formats);
    expect(parsed.inconclusive, `${file} round ${round}`).toEqual([]);
    expect(ops(parsed.facts), `${file} round ${round}`).toEqual(ops(reference.facts));
    // Content decides, not the name: renamed, the shuffled file is claimed by the same handler.
    expect((await parse("renamed.bin", bytes)).formats, `${file} round ${round} renamed`).toEqual(reference.formats);
  }
});
