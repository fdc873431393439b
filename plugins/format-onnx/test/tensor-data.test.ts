import { readFileSync } from "node:fs";
import { BufferSource, DEFAULT_LIMITS, type Fact } from "@modelaudit/core";
import { checkTensorFixture, type ParsedFacts, parseWith, tensorFacts as tensors } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import plugin from "../src/index.js";
import { onnxHandler } from "../src/onnx-handler.js";

/** Fixtures written by tooling/fixtures/generate_tensor_graph_fixtures.py, with the loader's bytes beside them. */
const FIXTURES = new URL("../../../tooling/fixtures/tensors-graph/", import.meta.url).pathname;

function parse(file: string, bytes: Uint8Array = readFileSync(`${FIXTURES}${file}`)): Promise<ParsedFacts> {
  return parseWith(plugin.formats, `${FIXTURES}${file}`, bytes);
}

/** Parses a fixture and checks every declared tensor against what the generator wrote beside it. */
async function expectLoaderBytes(file: string): Promise<ParsedFacts> {
  const { parsed, problems } = await checkTensorFixture(plugin.formats, FIXTURES, file);
  expect(problems).toEqual([]);
  return parsed;
}

describe("ONNX tensors read back as onnx's numpy_helper reads them", () => {
  test("raw_data, float_data, double_data, varint fields and a Constant value", async () => {
    const parsed = await expectLoaderBytes("model.onnx");
    const facts = new Map(tensors(parsed.facts).map((fact) => [fact.name, fact]));
    // In place: raw_data and single packed float/double runs; decoded: the varint fields.
    for (const name of ["linear.weight", "raw.f16", "typed.float", "typed.double", "const.value"]) {
      expect(facts.get(name)?.data, name).toBeDefined();
    }
    expect(parsed.tensorSources.map(({ fact }) => fact.name).sort()).toEqual([
      "typed.bf16",
      "typed.f16",
      "typed.int64",
      "typed.int8",
    ]);
    expect(facts.get("typed.f16")).toMatchObject({ dtype: "f16", formatDtype: "FLOAT16" });
    expect(facts.get("typed.bf16")).toMatchObject({ dtype: "bf16", formatDtype: "BFLOAT16" });
  });

  test("external data: a window of the data file beside the model", async () => {
    const parsed = await expectLoaderBytes("external/model.onnx");
    expect(parsed.tensorSources.map(({ fact }) => fact.name).sort()).toEqual(["linear.bias", "linear.weight"]);
  });

  test("external data past the end of its file: no bytes, inconclusive naming the tensor", async () => {
    const parsed = await parse("external-short/model.onnx");
    expect(parsed.tensorSources).toEqual([]);
    expect(tensors(parsed.facts).find((fact) => fact.name === "linear.weight")?.data).toBeUndefined();
    expect(parsed.facts).toContainEqual(expect.objectContaining({ kind: "anomaly", code: "truncated" }));
    expect(parsed.inconclusive).toContainEqual(expect.stringContaining('"linear.weight"'));
  });

  test("a missing external data file is inconclusive naming the tensor", async () => {
    const bytes = readFileSync(`${FIXTURES}external-short/model.onnx`);
    const parsed = await parseWith(plugin.formats, `${FIXTURES}external-short/elsewhere/model.onnx`, bytes);
    expect(parsed.tensorSources).toEqual([]);
    expect(parsed.inconclusive).toContainEqual(expect.stringContaining('"linear.weight"'));
  });

  test("inside an archive, external data is a range of the sibling member", async () => {
    const bytes = readFileSync(`${FIXTURES}external/model.onnx`);
    const facts: Fact[] = [];
    await onnxHandler.parse({
      source: new BufferSource("models/model.onnx", bytes),
      file: "/nowhere/x.zip",
      memberChain: ["models/model.onnx"],
      limits: DEFAULT_LIMITS,
      level: "standard",
      emit: (fact) => facts.push(fact),
      emitTensor: (fact) => facts.push(fact),
      addFormat: () => undefined,
      scanChild: async () => undefined,
      inconclusive: () => undefined,
      checkDeadline: () => undefined,
      chargeInflated: () => undefined,
    });
    expect(tensors(facts).map((fact) => [fact.name, fact.data])).toEqual([
      ["linear.weight", { offset: 0, length: 48, member: "models/model.onnx.data" }],
      ["linear.bias", { offset: 48, length: 16, member: "models/model.onnx.data" }],
    ]);
  });

  test("raw_data that disagrees with dims, and too few int32_data values: anomalies, no bytes", async () => {
    const parsed = await parse("raw_data_disagrees_with_dims.onnx");
    const facts = new Map(tensors(parsed.facts).map((fact) => [fact.name, fact]));
    expect(facts.get("linear.weight")?.data).toBeUndefined();
    expect(facts.get("linear.bias")?.data).toEqual(expect.objectContaining({ length: 16 }));
    expect(parsed.tensorSources).toEqual([]);
    const messages = parsed.facts.flatMap((fact) => (fact.kind === "anomaly" ? [fact.message] : []));
    expect(messages).toContainEqual(
      expect.stringMatching(/"linear\.weight": dims \[4,3\] need 48 bytes but raw_data holds 44/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/"typed\.int8": int32_data holds 2 values, its dims need 3/));
    expect(parsed.inconclusive.length).toBeGreaterThan(0);
  });
});
