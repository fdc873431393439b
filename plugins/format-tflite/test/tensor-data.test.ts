import { checkTensorFixture, tensorFacts } from "@modelaudit/core/testing";
import { expect, test } from "vitest";
import plugin from "../src/index.js";

/** Written by tooling/fixtures/generate_tensor_tflite_fixtures.py, with each constant's bytes beside it. */
const FIXTURES = new URL("../../../tooling/fixtures/tensors-tflite/", import.meta.url).pathname;

test("f32, f16 and quantized int8/int32 constants: names, dtypes, shapes and bytes as the generator wrote them", async () => {
  const { parsed, problems } = await checkTensorFixture(plugin.formats, FIXTURES, "model.tflite");
  expect(problems).toEqual([]);
  const facts = new Map(tensorFacts(parsed.facts).map((fact) => [fact.name, fact]));
  expect(facts.get("sequential/conv/Conv2D")).toMatchObject({
    dtype: "f16",
    formatDtype: "FLOAT16",
    shape: [2, 3, 3, 1],
  });
  // Quantized weights keep their storage type; the scale and zero point are not applied.
  expect(facts.get("sequential/fc/MatMul")).toMatchObject({ dtype: "i8", formatDtype: "INT8", shape: [6, 8] });
  expect(facts.get("sequential/fc/BiasAdd/ReadVariableOp")).toMatchObject({ dtype: "i32" });
  // Activations have no buffer: declared without bytes.
  expect(facts.get("input_int8")?.data).toBeUndefined();
});
