import { readFileSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES_ROOT, nodes, references } from "./helpers.js";

// protobuf (onnx.load) skips an unknown field of any wire type, groups included (checked with
// python3-onnx 1.12: a ModelProto led by group field 99 loads with its graph intact).
const varint = (value: number): number[] => {
  const out: number[] = [];
  for (let rest = value; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) return [...out, rest];
    out.push((rest % 128) | 0x80);
  }
};
const group = (number: number, inner: number[]) => [
  ...varint((number << 3) | 3),
  ...inner,
  ...varint((number << 3) | 4),
];

test("an unknown group field before and inside the model is skipped as protobuf skips it", async () => {
  const model = readFileSync(`${FIXTURES_ROOT}differential-onnx/graph_first_external_traversal.onnx`);
  // Group 99 holding a varint field and a nested group 7, in front of the model's fields.
  const prefix = group(99, [0x08, 0x05, ...group(7, [0x10, 0x01])]);
  const bytes = new Uint8Array([...prefix, ...model]);
  for (const name of ["model.onnx", "model.dat"]) {
    const parsed = await parseWith(plugin.formats, name, bytes);
    expect(parsed.formats, name).toEqual(["onnx"]);
    expect(parsed.inconclusive, name).toEqual([]);
    expect(nodes(parsed.facts).map((node) => node.op)).toEqual(["Relu", "Identity"]);
    expect(references(parsed.facts).map((reference) => reference.target)).toEqual([
      "../../../../tmp/modelaudit-fixture",
    ]);
  }
});

test("a group closed by another field number is not a model, as protobuf refuses it", async () => {
  const model = readFileSync(`${FIXTURES_ROOT}differential-onnx/graph_first_external_traversal.onnx`);
  const bytes = new Uint8Array([...varint((99 << 3) | 3), 0x08, 0x05, ...varint((98 << 3) | 4), ...model]);
  // Not claimed; the engine reports an unclaimed file named .onnx as inconclusive, never clean.
  expect((await parseWith(plugin.formats, "model.onnx", bytes)).formats).toEqual([]);
});

test("unknown fields of every wire type inside the graph and a node still make the file ONNX", async () => {
  // ModelProto { ir_version 8, opset_import { version 13 }, graph { <unknown>, node { <unknown>, op_type "PyOp" } } }
  const text = (value: string) => [...new TextEncoder().encode(value)];
  const field = (number: number, payload: number[]) => [
    ...varint((number << 3) | 2),
    ...varint(payload.length),
    ...payload,
  ];
  const unknowns: [string, number[]][] = [
    ["fixed32", [...varint((98 << 3) | 5), 1, 2, 3, 4]],
    ["fixed64", [...varint((97 << 3) | 1), 1, 2, 3, 4, 5, 6, 7, 8]],
    ["group", group(99, [0x08, 0x01])],
    ["varint", [...varint(96 << 3), 0x2a]],
    ["known number, other wire type", [...varint((2 << 3) | 5), 1, 2, 3, 4]],
  ];
  for (const [what, unknown] of unknowns) {
    const node = [...unknown, ...field(4, text("PyOp")), ...field(7, text("ai.onnx.contrib"))];
    const graph = [...unknown, ...field(1, node), ...field(2, text("g"))];
    const bytes = Uint8Array.from([0x08, 0x08, ...field(8, [0x10, 0x0d]), ...field(7, graph)]);
    const parsed = await parseWith(plugin.formats, "weights.dat", bytes);
    expect(parsed.formats, what).toEqual(["onnx"]);
    expect(
      nodes(parsed.facts).map((node) => node.op),
      what,
    ).toContain("PyOp");
  }
});
