import { readFileSync } from "node:fs";
import { checkTensorFixture, type ParsedFacts, parseWith, tensorFacts as tensors } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import plugin from "../src/index.js";

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

describe("safetensors tensors read back as written", () => {
  test("f32, f16, bf16 and i64: dtype, shape, bytes", async () => {
    const parsed = await expectLoaderBytes("model.safetensors");
    expect(tensors(parsed.facts).map((fact) => fact.formatDtype)).toEqual(["F32", "F16", "BF16", "I64"]);
    expect(tensors(parsed.facts).every((fact) => fact.byteOrder === "little")).toBe(true);
  });

  test("a tensor cut off by the end of the file has no range and the file is inconclusive", async () => {
    const bytes = readFileSync(`${FIXTURES}model.safetensors`);
    const parsed = await parse("model.safetensors", bytes.subarray(0, bytes.length - 8));
    const last = tensors(parsed.facts).find((fact) => fact.name === "step.counts")!;
    expect(last.data).toBeUndefined();
    expect(parsed.inconclusive.length).toBeGreaterThan(0);
    expect(parsed.facts).toContainEqual(expect.objectContaining({ kind: "anomaly", code: "malformed" }));
  });
});
