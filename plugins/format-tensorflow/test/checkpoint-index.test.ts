import { readFileSync } from "node:fs";
import { BufferSource, DEFAULT_LIMITS, type Fact } from "@modelaudit/core";
import { checkTensorFixture, type ParsedFacts, parseWith, tensorFacts } from "@modelaudit/core/testing";
import { describe, expect, test } from "vitest";
import { checkpointIndexHandler } from "../src/handlers.js";
import plugin from "../src/index.js";

/** Bundles written by tooling/fixtures/generate_tensor_savedmodel_fixtures.py, with the bytes each variable holds beside them. */
const FIXTURES = new URL("../../../tooling/fixtures/tensors-savedmodel/", import.meta.url).pathname;
const INDEX = "variables/variables.index";

function parse(
  folder: string,
  bytes: Uint8Array = readFileSync(`${FIXTURES}${folder}/${INDEX}`),
): Promise<ParsedFacts> {
  return parseWith(plugin.formats, `${FIXTURES}${folder}/${INDEX}`, bytes);
}

function anomalies(parsed: ParsedFacts): string[] {
  return parsed.facts.flatMap((fact) => (fact.kind === "anomaly" ? [`${fact.code}: ${fact.message}`] : []));
}

describe("TensorFlow checkpoint index: variables read as BundleReader reads them", () => {
  test.each(["savedmodel", "small-blocks"])(
    "%s: names, dtypes, shapes and the bytes of every variable",
    async (folder) => {
      const { parsed, problems } = await checkTensorFixture(plugin.formats, FIXTURES, `${folder}/${INDEX}`);
      expect(problems).toEqual([]);
      expect(parsed.formats).toEqual(["tensorflow-checkpoint"]);
      const facts = new Map(tensorFacts(parsed.facts).map((fact) => [fact.name, fact]));
      expect(facts.get("conv/kernel/.ATTRIBUTES/VARIABLE_VALUE")).toMatchObject({
        dtype: "f16",
        formatDtype: "DT_HALF",
        shape: [3, 3, 2, 4],
        byteOrder: "little",
      });
      expect(facts.get("embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE")).toMatchObject({ dtype: "bf16" });
      expect(facts.get("save_counter/.ATTRIBUTES/VARIABLE_VALUE")).toMatchObject({ dtype: "i64", shape: [] });
      // The object graph is a serialized proto in a DT_STRING: declared, no numbers to read.
      expect(facts.get("_CHECKPOINTABLE_OBJECT_GRAPH")).toMatchObject({ dtype: "opaque", formatDtype: "DT_STRING" });
      expect(facts.get("_CHECKPOINTABLE_OBJECT_GRAPH")?.data).toBeUndefined();
    },
  );

  test("the SavedModel of tooling/fixtures/tensorflow: its one kernel", async () => {
    const folder = new URL("../../../tooling/fixtures/tensorflow/savedmodel-benign/variables/", import.meta.url)
      .pathname;
    const parsed = await parseWith(
      plugin.formats,
      `${folder}variables.index`,
      readFileSync(`${folder}variables.index`),
    );
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.tensorSources.map(({ fact }) => [fact.name, fact.dtype, fact.shape])).toEqual([
      ["dense/kernel/.ATTRIBUTES/VARIABLE_VALUE", "f32", [4, 2]],
    ]);
  });

  test("inside an archive, each variable is a range of the sibling data member", async () => {
    const bytes = readFileSync(`${FIXTURES}savedmodel/${INDEX}`);
    const facts: Fact[] = [];
    const reasons: string[] = [];
    await checkpointIndexHandler.parse({
      source: new BufferSource("model/variables/variables.index", bytes),
      file: "/nowhere/model.zip",
      memberChain: ["model/variables/variables.index"],
      limits: DEFAULT_LIMITS,
      level: "standard",
      emit: (fact) => facts.push(fact),
      emitTensor: (fact) => facts.push(fact),
      addFormat: () => undefined,
      scanChild: async () => undefined,
      inconclusive: (reason) => reasons.push(reason),
      checkDeadline: () => undefined,
      chargeInflated: () => undefined,
    });
    expect(reasons).toEqual([]);
    const kernel = tensorFacts(facts).find(
      (fact) => fact.name === "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
    );
    expect(kernel?.data).toEqual({
      offset: expect.any(Number),
      length: 6 * 8 * 4,
      member: "model/variables/variables.data-00000-of-00001",
    });
  });

  test("a data shard cut short: the variables past the cut are not read, inconclusive naming them", async () => {
    const parsed = await parse("truncated-shard");
    expect(parsed.tensorSources.length).toBeGreaterThan(0);
    expect(anomalies(parsed)).toContainEqual(
      expect.stringMatching(/^truncated: entry ".*" needs bytes up to \d+ of variables\.data-00000-of-00001/),
    );
    expect(parsed.inconclusive).toHaveLength(1);
  });

  test("the index alone: inconclusive naming the missing shard", async () => {
    const parsed = await parse("missing-shard");
    expect(parsed.tensorSources).toEqual([]);
    expect(parsed.inconclusive).toEqual([
      expect.stringContaining("data shard variables.data-00000-of-00001 is missing"),
    ]);
  });

  test("an offset past the end of the shard", async () => {
    const parsed = await parse("offset-past-end");
    expect(anomalies(parsed)).toEqual([
      expect.stringMatching(/^truncated: entry "conv\/kernel\/.ATTRIBUTES\/VARIABLE_VALUE" needs bytes/),
    ]);
    expect(parsed.tensorSources.map(({ fact }) => fact.name)).not.toContain("conv/kernel/.ATTRIBUTES/VARIABLE_VALUE");
    expect(parsed.inconclusive).toHaveLength(1);
  });

  test("a size that is not dtype x shape", async () => {
    const parsed = await parse("size-mismatch");
    expect(anomalies(parsed)).toEqual([
      expect.stringMatching(/^malformed: entry "layer_with_weights-0\/kernel.*needs 192 bytes but declares 188/),
    ]);
    expect(parsed.inconclusive).toHaveLength(1);
  });

  test("a damaged footer magic is still claimed by name, and inconclusive", async () => {
    const parsed = await parse("bad-footer-magic");
    expect(parsed.formats).toEqual(["tensorflow-checkpoint"]);
    expect(tensorFacts(parsed.facts)).toEqual([]);
    expect(parsed.inconclusive).toEqual([expect.stringContaining("table magic")]);
  });

  test("a Snappy-compressed block: inconclusive naming it", async () => {
    const parsed = await parse("compressed-block");
    expect(parsed.formats).toEqual(["tensorflow-checkpoint"]);
    expect(parsed.inconclusive).toEqual([expect.stringContaining("data block 1 at offset 0 is Snappy-compressed")]);
  });

  test("one flipped byte anywhere in a block fails its checksum", async () => {
    const bytes = new Uint8Array(readFileSync(`${FIXTURES}savedmodel/${INDEX}`));
    bytes[40] = (bytes[40] as number) ^ 1;
    const parsed = await parse("savedmodel", bytes);
    expect(parsed.inconclusive).toEqual([expect.stringContaining("fails its crc32c")]);
  });

  test("every truncation of the index is inconclusive, never a crash", async () => {
    const bytes = readFileSync(`${FIXTURES}savedmodel/${INDEX}`);
    for (let length = 0; length < bytes.length; length += 7) {
      const parsed = await parse("savedmodel", bytes.subarray(0, length));
      if (parsed.formats.length === 0) continue;
      expect(parsed.inconclusive.length, `cut at ${length}`).toBeGreaterThan(0);
    }
  });
});
