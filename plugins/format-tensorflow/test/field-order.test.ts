import { protobufFields, seededRandom, shuffled } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import { fixture, graphNodes, manifest, parse } from "./helpers.js";

// Metamorphic: TensorFlow parses its protobufs with protobuf's ParseFromString, which takes the
// fields of a message in any order. Every well-formed fixture, its top-level fields and the fields
// of each GraphDef node shuffled, is still claimed by the same handler and yields the same ops.

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

/** A GraphDef with its fields shuffled and every node's own fields shuffled too. */
function shuffledGraph(bytes: Uint8Array, next: () => number): Uint8Array {
  const fields = shuffled(protobufFields(bytes), next).flatMap((field) =>
    field.number === 1
      ? lengthDelimited(
          1,
          Uint8Array.from(shuffled(protobufFields(field.payload), next).flatMap((inner) => [...inner.bytes])),
        )
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
        : Uint8Array.from(shuffled(protobufFields(original), next).flatMap((field) => [...field.bytes]));
    const parsed = await parse(file, bytes);
    expect(parsed.formats, `${file} round ${round}`).toEqual(reference.formats);
    expect(parsed.inconclusive, `${file} round ${round}`).toEqual([]);
    expect(ops(parsed.facts), `${file} round ${round}`).toEqual(ops(reference.facts));
    // Content decides, not the name: renamed, the shuffled file is claimed by the same handler.
    expect((await parse("renamed.bin", bytes)).formats, `${file} round ${round} renamed`).toEqual(reference.formats);
  }
});
