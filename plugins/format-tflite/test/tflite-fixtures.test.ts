import { dataByteLength } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import plugin from "../src/index.js";
import { anomalies, fixtureBytes, manifest, nodes, parseFixture, tensors, textByKey, texts } from "./helpers.js";

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    test(`${entry.file} is claimed and ${entry.expect === "inconclusive" ? "rejected" : "read to the end"}`, async () => {
      const result = await parseFixture(entry.file);
      expect(result.formats).toEqual(["tflite"]);
      if (entry.expect === "inconclusive") {
        expect(result.inconclusive).toHaveLength(1);
        expect(result.inconclusive[0]).toMatch(/^TFLite model rejected: /);
        expect(anomalies(result.facts).length).toBeGreaterThan(0);
      } else {
        expect(result.inconclusive).toEqual([]);
        // Flex ops whose names disagree are a parser differential, not a broken file.
        expect(anomalies(result.facts).filter((fact) => fact.code !== "parser-differential")).toEqual([]);
      }
    });
  }
});

test("benign model: every builtin operator in order, the extended code behind the deprecated byte", async () => {
  const { facts } = await parseFixture("benign_builtin_ops.tflite");
  const operators = nodes(facts);
  expect(operators.map((node) => [node.op, node.domain, node.name])).toEqual([
    ["CONV_2D", "", "subgraph[0]/operator[0]"],
    ["ADD", "", "subgraph[0]/operator[1]"],
    ["FULLY_CONNECTED", "", "subgraph[0]/operator[2]"],
    ["GELU", "", "subgraph[0]/operator[3]"],
    ["SOFTMAX", "", "subgraph[0]/operator[4]"],
  ]);
  expect(operators.every((node) => node.framework === "tflite")).toBe(true);
  expect(operators[3]!.attributes).toMatchObject({ builtinCode: 150, customOptionsLength: 0 });
  expect(operators[0]!.attributes).toMatchObject({ inputs: 3, outputs: 1, builtinOptionsType: 1 });
  expect(operators[0]!.location?.path).toBe("subgraph[0]/operator[0]");
  expect(textByKey(facts, "tflite.subgraph_count")).toBe("1");
  expect(textByKey(facts, "subgraph[0].operator_count")).toBe("5");
  expect(textByKey(facts, "subgraph[0].tensor_count")).toBe("10");
  expect(textByKey(facts, "description")).toBe("small CNN classifier (test fixture)");
  expect(textByKey(facts, "metadata[0].name")).toBe("min_runtime_version");
  expect(textByKey(facts, "min_runtime_version")).toBe("1.14.0");
});

test("benign model: tensors carry dtype, shape and the byte range of their inline buffer", async () => {
  const bytes = fixtureBytes("benign_builtin_ops.tflite");
  const { facts } = await parseFixture("benign_builtin_ops.tflite");
  const all = tensors(facts);
  expect(all).toHaveLength(10);
  const kernel = all.find((tensor) => tensor.name === "conv/kernel")!;
  expect(kernel).toMatchObject({ dtype: "f32", formatDtype: "FLOAT32", shape: [2, 3, 3, 1], data: { length: 72 } });
  // The generator writes weights ((i*7+1) % 13 - 6) / 8 as little-endian float32.
  const view = new DataView(bytes.buffer, bytes.byteOffset + kernel.data!.offset, kernel.data!.length);
  const values = Array.from({ length: 18 }, (_unused, index) => view.getFloat32(index * 4, true));
  expect(values).toEqual(Array.from({ length: 18 }, (_unused, index) => (((index * 7 + 1) % 13) - 6) / 8));
  const input = all.find((tensor) => tensor.name === "serving_default_input:0")!;
  expect(input.data).toBeUndefined();
  for (const tensor of all.filter((each) => each.data !== undefined)) {
    expect(tensor.data!.length).toBe(dataByteLength(tensor.dtype, tensor.shape));
  }
});

test("external buffer: the data range points after the flatbuffer, at the file's last bytes", async () => {
  const bytes = fixtureBytes("benign_external_buffer.tflite");
  const { facts } = await parseFixture("benign_external_buffer.tflite");
  const external = tensors(facts).find((tensor) => tensor.name === "external/kernel")!;
  expect(external.data!.length).toBe(384);
  expect(external.data!.offset + external.data!.length).toBe(bytes.length);
});

test("custom operator MyEvilOp: domain custom, options length, format and their strings", async () => {
  const { facts } = await parseFixture("custom_op_my_evil_op.tflite");
  const custom = nodes(facts).filter((node) => node.domain === "custom");
  expect(custom.map((node) => [node.op, node.name])).toEqual([["MyEvilOp", "subgraph[0]/operator[1]"]]);
  expect(custom[0]!.attributes).toMatchObject({ builtinCode: 32, customOptionsFormat: "flexbuffers" });
  expect(custom[0]!.attributes?.customOptionsLength).toBeGreaterThan(0);
  expect(custom[0]!.attributes?.customOptionsStrings).toBe("library libmyevil mode fast threshold");
  const options = texts(facts, "config").filter((fact) => fact.key === "subgraph[0]/operator[1]/custom_options");
  expect(options.map((fact) => fact.text)).toEqual(["library", "libmyevil", "mode", "fast", "threshold"]);
  expect(
    nodes(facts)
      .filter((node) => node.domain === "")
      .map((node) => node.op),
  ).toEqual(["ADD"]);
});

test("TFLite_Detection_PostProcess: named from custom_code with its FlexBuffers option keys", async () => {
  const { facts } = await parseFixture("custom_op_detection_postprocess.tflite");
  const [node, ...rest] = nodes(facts);
  expect(rest).toEqual([]);
  expect(node).toMatchObject({ op: "TFLite_Detection_PostProcess", domain: "custom", framework: "tflite" });
  const keys = texts(facts, "config").map((fact) => fact.text);
  expect(keys).toEqual(expect.arrayContaining(["max_detections", "nms_iou_threshold", "use_regular_nms"]));
});

test("malformed models name the broken reference", async () => {
  const inflated = await parseFixture("vector_length_inflated.tflite");
  expect(anomalies(inflated.facts).map((fact) => fact.code)).toEqual(["malformed"]);
  expect(inflated.inconclusive[0]).toContain("subgraphs claims 2147483647 elements");
  expect(nodes(inflated.facts)).toEqual([]);

  const outside = await parseFixture("offset_outside_file.tflite");
  expect(outside.inconclusive[0]).toContain("operator_codes at 1073741");
  expect(anomalies(outside.facts)[0]!.code).toBe("truncated");

  const buffer = await parseFixture("buffer_outside_file.tflite");
  expect(buffer.inconclusive[0]).toContain("stores 4096 bytes at offset 1099511627776");
  // The rest of the model is still read: one bad buffer does not hide the operators.
  expect(nodes(buffer.facts).map((node) => node.op)).toContain("SOFTMAX");

  const truncated = await parseFixture("truncated.tflite");
  expect(anomalies(truncated.facts).every((fact) => fact.code === "truncated")).toBe(true);
});

test("a shape whose byte length disagrees with its buffer: an anomaly and no data range", async () => {
  const bytes = new Uint8Array(fixtureBytes("benign_builtin_ops.tflite"));
  // The kernel's shape vector [2, 3, 3, 1] (length 4, then int32s); make it [3, 3, 3, 1].
  const shape = [4, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0];
  const at = Buffer.from(bytes).indexOf(Buffer.from(shape));
  expect(at).toBeGreaterThan(0);
  bytes[at + 4] = 3;
  const result = await parseWith(plugin.formats, "patched.tflite", bytes);
  const kernel = tensors(result.facts).find((tensor) => tensor.name === "conv/kernel")!;
  expect(kernel).toMatchObject({ shape: [3, 3, 3, 1] });
  expect(kernel.data).toBeUndefined();
  expect(anomalies(result.facts)).toContainEqual(
    expect.objectContaining({
      code: "malformed",
      message: expect.stringMatching(/needs 108 bytes but buffer \d+ holds 72/),
    }),
  );
  expect(result.inconclusive.length).toBeGreaterThan(0);
});
