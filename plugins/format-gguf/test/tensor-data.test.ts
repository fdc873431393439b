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

describe("GGUF tensors read back as written", () => {
  test("F32, F16, Q8_0 and Q4_0: dtype, row-major shape, block bytes", async () => {
    const parsed = await expectLoaderBytes("model.gguf");
    expect(tensors(parsed.facts).map((fact) => fact.formatDtype)).toEqual(["F32", "F16", "Q8_0", "Q4_0"]);
    // Offsets are absolute and aligned to general.alignment.
    expect(tensors(parsed.facts).every((fact) => fact.data!.offset % 32 === 0)).toBe(true);
  });

  test("the tensor the end of the file cuts has no range; the file is inconclusive naming it", async () => {
    const parsed = await parse("truncated_tensor.gguf");
    const size = readFileSync(`${FIXTURES}truncated_tensor.gguf`).length;
    const cut = tensors(parsed.facts).find((fact) => fact.name === "blk.0.ffn_down.weight")!;
    expect(cut.data).toBeUndefined();
    for (const fact of tensors(parsed.facts)) {
      if (fact.data) expect(fact.data.offset + fact.data.length).toBeLessThanOrEqual(size);
    }
    expect(parsed.facts).toContainEqual(expect.objectContaining({ kind: "anomaly", code: "truncated" }));
    expect(parsed.inconclusive).toContainEqual(expect.stringContaining('"blk.0.ffn_down.weight"'));
  });

  test("a Q4_0 row that is not a whole number of blocks has no range", async () => {
    const bytes = new Uint8Array(readFileSync(`${FIXTURES}model.gguf`));
    // Rewrite ffn_down's ne[0] from 64 to 48: not a multiple of Q4_0's 32-element block.
    const name = new TextEncoder().encode("blk.0.ffn_down.weight");
    const at = Buffer.from(bytes).indexOf(Buffer.from(name)) + name.length + 4;
    expect(new DataView(bytes.buffer).getBigUint64(at, true)).toBe(64n);
    new DataView(bytes.buffer).setBigUint64(at, 48n, true);
    const parsed = await parse("model.gguf", bytes);
    const fact = tensors(parsed.facts).find((each) => each.name === "blk.0.ffn_down.weight")!;
    expect(fact).toMatchObject({ dtype: "q4_0", shape: [2, 48] });
    expect(fact.data).toBeUndefined();
    expect(parsed.facts).toContainEqual(
      expect.objectContaining({
        kind: "anomaly",
        message: expect.stringContaining("not a multiple of the Q4_0 block"),
      }),
    );
    expect(parsed.inconclusive.length).toBeGreaterThan(0);
  });
});
