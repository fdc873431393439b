import { describe, expect, test } from "vitest";
import { decodeFlexOptions, FlexOptionsError } from "../src/flex-options.js";
import { anomalies, nodes, parseFixture } from "./helpers.js";

const encoder = new TextEncoder();

/** A NodeDef: name = 1, op = 2 (each repeated as given), attr = 5 with one string attribute. */
function nodeDef(ops: string[], name = "n", attribute?: [string, string]): Uint8Array {
  const field = (tag: number, payload: Uint8Array) => [tag, payload.length, ...payload];
  const bytes = [...field(0x0a, encoder.encode(name))];
  for (const op of ops) bytes.push(...field(0x12, encoder.encode(op)));
  if (attribute) {
    // The map entry's value (field 2) is an AttrValue whose `s` (field 2) is the string.
    const value = field(0x12, new Uint8Array(field(0x12, encoder.encode(attribute[1]))));
    bytes.push(...field(0x2a, new Uint8Array([...field(0x0a, encoder.encode(attribute[0])), ...value])));
  }
  return new Uint8Array(bytes);
}

/** A FlexBuffers vector (byte width 1) of two strings, or of a string and a blob, or a map of the two. */
function flexVector(op: string, payload: Uint8Array, secondType = 5, rootType = 10): Uint8Array {
  const out: number[] = [];
  const a = encoder.encode(op);
  out.push(a.length);
  const aStart = out.length;
  out.push(...a, 0);
  out.push(payload.length);
  const bStart = out.length;
  out.push(...payload, 0);
  out.push(2);
  const vector = out.length;
  out.push(vector - aStart, vector + 1 - bStart, 5 << 2, secondType << 2);
  const root = out.length;
  out.push(root - vector, rootType << 2, 1);
  return new Uint8Array(out);
}

describe("decodeFlexOptions", () => {
  test("reads v[0], the NodeDef's name, op and attributes", () => {
    const decoded = decodeFlexOptions(flexVector("WriteFile", nodeDef(["WriteFile"], "w", ["note", "x"])));
    expect(decoded).toEqual({ op: "WriteFile", nodeDef: { name: "w", ops: ["WriteFile"], attributes: { note: "x" } } });
  });

  test("NodeDef as a blob, and a map root (flexbuffers' AsVector reads a map as its values)", () => {
    expect(decodeFlexOptions(flexVector("ReadFile", nodeDef(["ReadFile"]), 25)).op).toBe("ReadFile");
    expect(decodeFlexOptions(flexVector("PyFunc", nodeDef(["PyFunc"]), 5, 9)).nodeDef.ops).toEqual(["PyFunc"]);
  });

  test("every NodeDef.op is kept in order (protobuf keeps the last)", () => {
    expect(decodeFlexOptions(flexVector("AddV2", nodeDef(["AddV2", "WriteFile"]))).nodeDef.ops).toEqual([
      "AddV2",
      "WriteFile",
    ]);
  });

  test.each([
    ["empty", new Uint8Array(0)],
    ["plain text", encoder.encode("AddV2 please")],
    ["root not a vector", new Uint8Array([0, 5 << 2, 1])],
    ["root offset before the start", new Uint8Array([200, 10 << 2, 1])],
    [
      "one element",
      (() => {
        const bytes = flexVector("AddV2", nodeDef(["AddV2"]));
        bytes[bytes.length - 8] = 1;
        return bytes;
      })(),
    ],
    [
      "string length past the end",
      (() => {
        const bytes = flexVector("AddV2", nodeDef(["AddV2"]));
        bytes[0] = 250;
        return bytes;
      })(),
    ],
    ["NodeDef field length past the end", flexVector("AddV2", new Uint8Array([0x12, 100, 65]))],
    ["NodeDef group wire type", flexVector("AddV2", new Uint8Array([0x13]))],
    ["empty op name", flexVector("", nodeDef(["AddV2"]))],
  ])("refuses %s", (_name, bytes) => {
    expect(() => decodeFlexOptions(bytes)).toThrow(FlexOptionsError);
  });

  test("hostile bytes: every truncation and single-byte change throws FlexOptionsError or decodes", () => {
    const valid = flexVector("WriteFile", nodeDef(["WriteFile"], "w", ["note", "x"]));
    const tryDecode = (bytes: Uint8Array) => {
      try {
        decodeFlexOptions(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(FlexOptionsError);
      }
    };
    for (let end = 0; end < valid.length; end++) tryDecode(valid.subarray(0, end));
    for (let index = 0; index < valid.length; index++) {
      for (const value of [0, 1, 0x7f, 0x80, 0xff]) {
        const changed = valid.slice();
        changed[index] = value;
        tryDecode(changed);
      }
    }
  });
});

describe("Flex operators in TFLite models", () => {
  test("honest FlexAddV2: the op it runs as a TensorFlow node, no anomaly", async () => {
    const { facts, inconclusive } = await parseFixture("flex_honest_addv2.tflite");
    expect(inconclusive).toEqual([]);
    expect(anomalies(facts)).toEqual([]);
    const flex = nodes(facts).find((node) => node.op === "FlexAddV2")!;
    expect(flex.attributes).toMatchObject({ flexOp: "AddV2", flexNodeDefOp: "AddV2", flexNodeName: "add_1" });
    const runs = nodes(facts).filter((node) => node.framework === "tensorflow");
    expect(runs.map((node) => [node.op, node.location?.path, node.attributes])).toEqual([
      ["AddV2", "subgraph[0]/operator[1]/custom_options", { T: 1 }],
    ]);
  });

  test.each([
    ["flex_disguised_writefile.tflite", "FlexAddV2", "WriteFile"],
    ["flex_disguised_readfile.tflite", "FlexAddV2", "ReadFile"],
    ["flex_disguised_pyfunc.tflite", "FlexIdentity", "PyFunc"],
  ])("%s: %s runs %s, a parser differential", async (file, customCode, runs) => {
    const { facts, inconclusive } = await parseFixture(file);
    expect(inconclusive).toEqual([]);
    expect(nodes(facts).find((node) => node.domain === "custom")).toMatchObject({
      op: customCode,
      attributes: { flexOp: runs, flexNodeDefOp: runs },
    });
    expect(
      nodes(facts)
        .filter((node) => node.framework === "tensorflow")
        .map((node) => node.op),
    ).toEqual([runs]);
    const differential = anomalies(facts);
    expect(differential.map((fact) => fact.code)).toEqual(["parser-differential"]);
    expect(differential[0]!.message).toContain(`"${customCode}" runs TensorFlow op "${runs}"`);
  });

  test("v[0] AddV2 with NodeDef op WriteFile: both names are emitted", async () => {
    const { facts } = await parseFixture("flex_nodedef_op_mismatch.tflite");
    expect(
      nodes(facts)
        .filter((node) => node.framework === "tensorflow")
        .map((node) => node.op),
    ).toEqual(["AddV2", "WriteFile"]);
    expect(anomalies(facts).map((fact) => fact.code)).toEqual(["parser-differential"]);
  });

  test("options that are not a FlexBuffer: inconclusive, the operator still named by custom_code", async () => {
    const { facts, inconclusive } = await parseFixture("flex_options_not_flexbuffer.tflite");
    expect(inconclusive).toHaveLength(1);
    expect(inconclusive[0]).toMatch(/Flex operator's custom options are not the \[op name, NodeDef\] FlexBuffer/);
    expect(anomalies(facts).map((fact) => fact.code)).toEqual(["malformed"]);
    expect(nodes(facts).map((node) => node.op)).toContain("FlexAddV2");
    expect(nodes(facts).filter((node) => node.framework === "tensorflow")).toEqual([]);
  });
});
