import { describe, expect, test } from "vitest";
import { anomalies, codes, manifest, parseFixture, tensors, texts } from "./helpers.js";

describe("every manifest fixture", () => {
  for (const entry of manifest()) {
    test(`${entry.file} (${entry.expect})`, async () => {
      const result = await parseFixture(entry.file);
      expect(result.formats.length).toBeGreaterThan(0);
      if (entry.expect === "inconclusive") {
        expect(result.inconclusive.length).toBeGreaterThan(0);
        expect(anomalies(result.facts).length).toBeGreaterThan(0);
      } else {
        expect(result.inconclusive).toEqual([]);
        expect(anomalies(result.facts).filter((fact) => fact.code !== "trailing-data")).toEqual([]);
      }
    });
  }
});

const LLAMA_TENSORS = [
  { name: "token_embd.weight", dtype: "q8_0", formatDtype: "Q8_0", shape: [4, 32], length: 4 * 34 },
  { name: "output_norm.weight", dtype: "f32", formatDtype: "F32", shape: [32], length: 128 },
  { name: "blk.0.attn_q.weight", dtype: "f16", formatDtype: "F16", shape: [2, 32], length: 128 },
  { name: "blk.0.ffn_down.weight", dtype: "q4_k", formatDtype: "Q4_K", shape: [1, 256], length: 144 },
];

describe("benign models", () => {
  for (const file of ["tiny_llama_v3.gguf", "tiny_llama_v2.gguf", "tiny_llama_v1.gguf", "tiny_llama_big_endian.gguf"]) {
    test(`${file}: metadata, vocabulary, template and tensors`, async () => {
      const { facts } = await parseFixture(file);
      expect(texts(facts, "metadata").map((fact) => [fact.key, fact.text])).toEqual([
        ["general.architecture", "llama"],
        ["general.name", "modelaudit tiny llama"],
        ["tokenizer.ggml.model", "llama"],
      ]);
      const vocabulary = texts(facts, "vocabulary");
      expect(vocabulary).toHaveLength(1);
      const entries = vocabulary[0]!.text.split("\n");
      expect(entries).toHaveLength(347);
      expect(entries.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
      expect(entries).toContain("\u2581你好");
      expect(vocabulary[0]).toMatchObject({
        key: "tokenizer.ggml.tokens",
        location: { path: "tokenizer.ggml.tokens[0..346]" },
      });
      const [template] = codes(facts);
      expect(template).toMatchObject({ language: "jinja", location: { path: "tokenizer.chat_template" } });
      expect(template!.text).toContain("[INST]");
      const found = tensors(facts);
      expect(
        found.map(({ name, dtype, formatDtype, shape, data }) => ({
          name,
          dtype,
          formatDtype,
          shape,
          length: data?.length,
        })),
      ).toEqual(LLAMA_TENSORS);
      expect(new Set(found.map((fact) => fact.byteOrder))).toEqual(
        new Set([file.includes("big_endian") ? "big" : "little"]),
      );
      // Data offsets are absolute, aligned to 32 and each tensor padded to 32.
      const offsets = found.map((fact) => fact.data!.offset);
      expect(offsets.every((offset) => offset % 32 === 0)).toBe(true);
      expect(offsets.slice(1).map((offset, index) => offset - offsets[index]!)).toEqual([160, 128, 128]);
    });
  }

  test("the big-endian file is labelled", async () => {
    expect((await parseFixture("tiny_llama_big_endian.gguf")).formats).toEqual(["gguf", "gguf-big-endian"]);
  });

  test("named chat templates are code too", async () => {
    const { facts } = await parseFixture("chat_template_mistral.gguf");
    expect(codes(facts).map((fact) => fact.location?.path)).toEqual([
      "tokenizer.chat_template",
      "tokenizer.chat_template.tool_use",
    ]);
    expect(texts(facts).find((fact) => fact.key === "tokenizer.chat_templates")).toMatchObject({
      text: "tool_use",
      role: "vocabulary",
      location: { path: "tokenizer.chat_templates[0]" },
    });
  });

  test("nested arrays and a 64-byte alignment", async () => {
    const { facts } = await parseFixture("nested_arrays_alignment64.gguf");
    expect(texts(facts).map((fact) => [fact.location?.path, fact.text])).toEqual([
      ["general.architecture", "test"],
      ["test.nested[0][0]", "a"],
      ["test.nested[0][1]", "b"],
      ["test.nested[1][0]", "c"],
      // Tensor names are free text too.
      ["t", "t"],
    ]);
    expect(tensors(facts)[0]!.data!.offset % 64).toBe(0);
  });

  test("the sandbox-escape template reaches detectors as jinja code", async () => {
    const { facts } = await parseFixture("chat_template_sandbox_escape.gguf");
    expect(codes(facts)).toHaveLength(1);
    expect(codes(facts)[0]!.text).toContain("''.__class__.__mro__[1].__subclasses__()");
  });
});

describe("malformed files name the problem", () => {
  const cases: [string, string, RegExp][] = [
    ["absurd_kv_count.gguf", "malformed", /^metadata count 1152921504606846976 cannot fit/],
    ["absurd_tensor_count.gguf", "malformed", /^tensor count 4611686018427387904 cannot fit/],
    ["absurd_string_length.gguf", "malformed", /string length 4611686018427387904 exceeds/],
    ["absurd_array_count.gguf", "malformed", /tokenizer\.ggml\.tokens claims 1099511627776 items/],
    ["absurd_n_dims.gguf", "malformed", /tensor "bad" claims 1000000 dimensions/],
    ["deep_nested_arrays.gguf", "limit-exceeded", /nests arrays deeper than 4/],
    ["misaligned_tensor_offset.gguf", "malformed", /offset 36 is not aligned to 32/],
    ["overlapping_tensors.gguf", "malformed", /tensor "b" overlaps "a"/],
    ["unknown_tensor_type.gguf", "malformed", /unknown ggml type 99/],
    ["alignment_not_power_of_two.gguf", "malformed", /general\.alignment 24 is not a power of two/],
    ["duplicate_metadata_key.gguf", "header-mismatch", /duplicate metadata key "general\.name"/],
    ["truncated_in_data.gguf", "truncated", /blk\.0\.ffn_down\.weight.*runs past the end of the file/],
    ["truncated_in_header.gguf", "malformed", /tokenizer\.ggml\.tokens claims 347 items/],
    ["unknown_version.gguf", "malformed", /unknown GGUF version 7/],
  ];
  for (const [file, code, message] of cases) {
    test(file, async () => {
      const result = await parseFixture(file);
      expect(anomalies(result.facts)).toContainEqual(
        expect.objectContaining({ code, message: expect.stringMatching(message) }),
      );
      expect(result.inconclusive[0]).toMatch(/^GGUF file rejected: /);
    });
  }

  test("a tensor whose data runs past the end has no range and is named unread", async () => {
    const result = await parseFixture("truncated_in_data.gguf");
    const tensor = tensors(result.facts).find((fact) => fact.name === "blk.0.ffn_down.weight");
    expect(tensor).toMatchObject({ dtype: "q4_k", formatDtype: "Q4_K" });
    expect(tensor!.data).toBeUndefined();
    expect(result.inconclusive).toContainEqual(expect.stringMatching(/not read: .*"blk\.0\.ffn_down\.weight"/));
  });

  test("an unknown type id is an opaque tensor without a range", async () => {
    const result = await parseFixture("unknown_tensor_type.gguf");
    const [tensor] = tensors(result.facts).filter((fact) => fact.formatDtype === "ggml-type-99");
    expect(tensor).toMatchObject({ dtype: "opaque" });
    expect(tensor!.data).toBeUndefined();
  });

  test("trailing bytes are noted without a refusal", async () => {
    const result = await parseFixture("trailing_data.gguf");
    expect(anomalies(result.facts)).toEqual([
      expect.objectContaining({ code: "trailing-data", message: "100 bytes after the last tensor's data" }),
    ]);
    expect(result.inconclusive).toEqual([]);
  });

  test("legacy GGJT is recognised and honestly inconclusive", async () => {
    const result = await parseFixture("legacy_ggjt_v3.bin");
    expect(result.formats).toEqual(["ggml", "ggjt"]);
    expect(result.inconclusive).toEqual(["legacy GGML layout (ggjt v3) not fully parsed"]);
  });
});
