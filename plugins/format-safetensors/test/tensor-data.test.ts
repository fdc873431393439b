import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Fact, TensorFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import plugin from "../src/index.js";

/** Fixtures written by tooling/fixtures/generate_tensor_graph_fixtures.py, with the loader's bytes beside them. */
const FIXTURES = new URL("../../../tooling/fixtures/tensors-graph/", import.meta.url).pathname;

interface Expected {
  dtype: string;
  shape: number[];
  byteLength: number;
  sha256: string;
}

const tensors = (facts: Fact[]) => facts.filter((fact): fact is TensorFact => fact.kind === "tensor");

function parse(file: string, bytes: Uint8Array = readFileSync(`${FIXTURES}${file}`)): Promise<ParsedFacts> {
  return parseWith(plugin.formats, `${FIXTURES}${file}`, bytes);
}

/** Every tensor's bytes as the engine would read them: the declared range of the file, or the handler's source. */
async function tensorBytes(file: string, parsed: ParsedFacts): Promise<Map<string, Uint8Array>> {
  const bytes = readFileSync(`${FIXTURES}${file}`);
  const found = new Map<string, Uint8Array>();
  for (const fact of tensors(parsed.facts)) {
    if (!fact.data) continue;
    expect(fact.data.member).toBeUndefined();
    expect(fact.data.offset + fact.data.length).toBeLessThanOrEqual(bytes.length);
    found.set(fact.name, bytes.subarray(fact.data.offset, fact.data.offset + fact.data.length));
  }
  for (const { fact, source } of parsed.tensorSources) {
    expect(fact.data).toBeUndefined();
    const data = await source.read(0, source.size);
    expect(data.length).toBe(source.size);
    found.set(fact.name, data);
  }
  return found;
}

async function expectLoaderBytes(file: string): Promise<ParsedFacts> {
  const expected: Record<string, Expected> = JSON.parse(
    readFileSync(`${FIXTURES}${file}.expected.json`, "utf8"),
  ).tensors;
  const parsed = await parse(file);
  expect(parsed.inconclusive).toEqual([]);
  const byName = new Map(tensors(parsed.facts).map((fact) => [fact.name, fact]));
  const bytes = await tensorBytes(file, parsed);
  expect([...bytes.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const fact = byName.get(name)!;
    const data = bytes.get(name)!;
    expect({ name, dtype: fact.dtype, shape: fact.shape, byteLength: data.length }).toEqual({
      name,
      dtype: want.dtype,
      shape: want.shape,
      byteLength: want.byteLength,
    });
    expect(createHash("sha256").update(data).digest("hex"), name).toBe(want.sha256);
  }
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
