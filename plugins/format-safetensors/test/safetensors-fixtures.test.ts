import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { anomalies, FIXTURES, manifest, parseFixture, tensors, texts } from "./helpers.js";

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    test(`${entry.file} (${entry.expect})`, async () => {
      const result = await parseFixture(entry.file);
      if (entry.expect === "inconclusive") {
        expect(result.inconclusive.length).toBeGreaterThan(0);
        expect(anomalies(result.facts).length).toBeGreaterThan(0);
      } else if (entry.expect === "clean") {
        expect(result.inconclusive).toEqual([]);
        expect(anomalies(result.facts)).toEqual([]);
      } else if (entry.file === "pickle_named.safetensors") {
        // Content decides: a pickle is not claimed whatever its name.
        expect(result.formats).toEqual([]);
      }
    });
  }
});

describe("benign files", () => {
  test("model_f32: metadata, names and tensor byte ranges", async () => {
    const { facts, formats } = await parseFixture("model_f32.safetensors");
    expect(formats).toEqual(["safetensors"]);
    expect(texts(facts, "metadata")).toEqual([
      {
        kind: "text",
        text: "pt",
        key: "__metadata__.format",
        role: "metadata",
        location: { path: "__metadata__.format" },
      },
    ]);
    expect(texts(facts, "name").map((fact) => fact.text)).toEqual(["linear.bias", "linear.weight"]);
    // The reference writer pads the header to a multiple of 8: 8 + N is where data starts.
    const [bias, weight] = tensors(facts);
    expect(bias).toMatchObject({ name: "linear.bias", dtype: "f32", formatDtype: "F32", shape: [4] });
    expect(weight).toMatchObject({ name: "linear.weight", dtype: "f32", formatDtype: "F32", shape: [4, 3] });
    expect(bias!.data?.length).toBe(16);
    expect(weight!.data?.length).toBe(48);
    expect(weight!.data!.offset).toBe(bias!.data!.offset + 16);
    expect(bias!.data!.offset % 8).toBe(0);
  });

  test("mixed_dtypes: every dtype with its byte length", async () => {
    const { facts } = await parseFixture("mixed_dtypes.safetensors");
    const byName = Object.fromEntries(
      tensors(facts).map((fact) => [fact.name, [fact.formatDtype, fact.dtype, fact.data?.length]]),
    );
    expect(byName).toEqual({
      "scale.f64": ["F64", "f64", 16],
      "counts.i64": ["I64", "i64", 24],
      "ids.i32": ["I32", "i32", 16],
      "embed.bf16": ["BF16", "bf16", 12],
      "embed.f16": ["F16", "f16", 16],
      u16: ["U16", "u16", 4],
      "fp8.e4m3": ["F8_E4M3", "f8_e4m3", 4],
      "small.i8": ["I8", "i8", 2],
      "bytes.u8": ["U8", "u8", 3],
      "fp4.packed": ["F4", "opaque", 2],
      "mask.bool": ["BOOL", "bool", 5],
    });
  });

  test("empty tensors and scalars", async () => {
    const { facts } = await parseFixture("empty_tensors.safetensors");
    const shapes = Object.fromEntries(tensors(facts).map((fact) => [fact.name, [fact.shape, fact.data?.length]]));
    expect(shapes).toEqual({
      "empty.vector": [[0], 0],
      "empty.matrix": [[2, 0], 0],
      scalar: [[], 4],
      value: [[2], 8],
    });
  });

  test("no tensors at all", async () => {
    const { facts, formats } = await parseFixture("no_tensors.safetensors");
    expect(formats).toEqual(["safetensors"]);
    expect(facts).toEqual([]);
  });

  test("payload-looking metadata is only text here", async () => {
    const { facts } = await parseFixture("metadata_jinja_payload.safetensors");
    expect(texts(facts, "metadata").find((fact) => fact.key === "__metadata__.chat_template")?.text).toBe(
      "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    );
    expect(facts.some((fact) => fact.kind === "code")).toBe(false);
  });
});

describe("malformed files name the problem", () => {
  const cases: [string, string, RegExp][] = [
    ["overlapping_ranges.safetensors", "malformed", /linear\.weight" overlaps "linear\.bias/],
    ["gap_between_tensors.safetensors", "malformed", /gap of 8 bytes before tensor "linear\.weight"/],
    ["offsets_out_of_bounds.safetensors", "malformed", /ends at 16400, past the 64-byte data section/],
    ["shape_dtype_mismatch.safetensors", "malformed", /F32 × \[4,4\] needs 64 bytes but data_offsets span 48/],
    ["unknown_dtype.safetensors", "malformed", /unknown dtype "F128"/],
    ["non_string_metadata.safetensors", "malformed", /__metadata__\.epochs is a number/],
    ["duplicate_keys.safetensors", "header-mismatch", /duplicate key "linear\.bias"/],
    ["invalid_json.safetensors", "malformed", /not valid JSON/],
    ["header_not_utf8.safetensors", "malformed", /not valid UTF-8/],
    ["header_length_beyond_file.safetensors", "truncated", /runs past the end of the file/],
    ["trailing_data.safetensors", "trailing-data", /^25 bytes after the last tensor/],
    ["truncated.safetensors", "malformed", /ends at 64, past the 44-byte data section/],
    ["f4_not_whole_bytes.safetensors", "malformed", /does not fill whole bytes/],
  ];
  for (const [file, code, message] of cases) {
    test(file, async () => {
      const result = await parseFixture(file);
      expect(anomalies(result.facts)).toContainEqual(
        expect.objectContaining({ code, message: expect.stringMatching(message) }),
      );
      expect(result.inconclusive[0]).toMatch(/^safetensors header rejected: /);
    });
  }

  test("a tensor running past the end of the file declares no data range", async () => {
    const result = await parseFixture("truncated.safetensors");
    const size = readFileSync(`${FIXTURES}truncated.safetensors`).length;
    for (const fact of tensors(result.facts)) {
      if (fact.data) expect(fact.data.offset + fact.data.length).toBeLessThanOrEqual(size);
    }
    expect(tensors(result.facts).some((fact) => fact.data === undefined)).toBe(true);
  });

  test("a tensor with a bad entry is not emitted, the valid ones are", async () => {
    const { facts } = await parseFixture("shape_dtype_mismatch.safetensors");
    expect(tensors(facts).map((fact) => fact.name)).toEqual(["linear.bias"]);
  });
});

describe("sharded model index", () => {
  test("a matching index is clean and references its shards", async () => {
    const result = await parseFixture("sharded-model/model.safetensors.index.json");
    expect(result.formats).toEqual(["safetensors-index"]);
    expect(result.inconclusive).toEqual([]);
    const references = result.facts.flatMap((fact) => (fact.kind === "reference" ? [fact.target] : []));
    expect(references.sort()).toEqual(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    expect(texts(result.facts, "metadata")).toEqual([
      { kind: "text", text: "pt", key: "metadata.format", role: "metadata", location: { path: "metadata.format" } },
    ]);
  });

  test("a missing shard", async () => {
    const result = await parseFixture("sharded-missing-shard/model.safetensors.index.json");
    expect(anomalies(result.facts)).toEqual([
      {
        kind: "anomaly",
        code: "malformed",
        message: "shard model-00002-of-00002.safetensors named by the index (2 tensors) is missing",
        location: { path: "model-00002-of-00002.safetensors" },
      },
    ]);
    expect(result.inconclusive).toHaveLength(1);
  });

  test("a mapped tensor absent from its shard", async () => {
    const result = await parseFixture("sharded-missing-tensor/model.safetensors.index.json");
    expect(anomalies(result.facts).map((fact) => [fact.code, fact.location?.path])).toEqual([
      ["header-mismatch", "model.layers.0.extra"],
    ]);
    expect(result.inconclusive).toHaveLength(1);
  });

  test("a shard tensor the index does not map: anomaly, not a refusal", async () => {
    const result = await parseFixture("sharded-unmapped-tensor/model.safetensors.index.json");
    expect(anomalies(result.facts).map((fact) => [fact.code, fact.location?.path])).toEqual([
      ["header-mismatch", "lm_head.weight"],
    ]);
    expect(result.inconclusive).toEqual([]);
  });
});
