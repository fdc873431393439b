import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { ReferenceFact } from "@modelaudit/core";
import { copyFixturesWithLinks, parseWith } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import plugin from "../src/index.js";
import { anomalies } from "./helpers.js";

// tooling/fixtures/linked-paths (generate_linked_path_fixtures.py): no link is committed; each entry's
// links are made in a temporary copy, `{OUTSIDE}` standing for the copy's outside/ folder.
let root: string;
let entries: { file: string }[];
beforeAll(async () => {
  root = await copyFixturesWithLinks(new URL("../../../tooling/fixtures/linked-paths", import.meta.url).pathname);
  entries = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8"));
});
afterAll(async () => {
  await rm(path.dirname(root), { recursive: true, force: true });
});

async function parseEntry(folder: string, scan: string) {
  const file = path.join(root, folder, scan);
  return parseWith(plugin.formats, file, await readFile(file));
}

const references = (facts: { kind: string }[]) =>
  facts.filter((fact): fact is ReferenceFact => fact.kind === "reference");

describe("every sharded index name transformers reads is claimed and its shards named", () => {
  test.each([
    [
      "bin-index-dotdot",
      "pytorch_model.bin.index.json",
      "weights-index",
      "../outside/pytorch_model-00001-of-00001.bin",
    ],
    [
      "bin-index-absolute",
      "pytorch_model.bin.index.json",
      "weights-index",
      "/tmp/modelaudit-outside/pytorch_model-00001-of-00001.bin",
    ],
    [
      "bin-index-variant-dotdot",
      "pytorch_model.bin.index.fp16.json",
      "weights-index",
      "../outside/pytorch_model.fp16-00001-of-00001.bin",
    ],
    ["tf-index-dotdot", "tf_model.h5.index.json", "weights-index", "../outside/tf_model-00001-of-00001.h5"],
    [
      "flax-index-dotdot",
      "flax_model.msgpack.index.json",
      "weights-index",
      "../outside/flax_model-00001-of-00001.msgpack",
    ],
    [
      "diffusers-index-dotdot",
      "diffusion_pytorch_model.bin.index.json",
      "weights-index",
      "../outside/diffusion_pytorch_model-00001-of-00001.bin",
    ],
  ])("%s/%s (%s) names %s, never opened", async (folder, scan, format, shard) => {
    const result = await parseEntry(folder, scan);
    expect(result.formats).toEqual([format]);
    expect(references(result.facts)).toEqual([
      { kind: "reference", target: shard, referenceKind: "path", key: "weight_map" },
    ]);
    expect(result.inconclusive).toEqual([
      `sharded index rejected: shard name ${JSON.stringify(shard)} leaves the model folder; it was not opened`,
    ]);
  });

  test("a shard that is a link outside the folder: the reference names the link, nothing behind it is opened", async () => {
    const outside = path.join(root, "outside");
    for (const [folder, scan, format, shard] of [
      ["bin-index-link-outside", "pytorch_model.bin.index.json", "weights-index", "pytorch_model-00001-of-00001.bin"],
      [
        "safetensors-index-link-outside",
        "model.safetensors.index.json",
        "safetensors-index",
        "model-00001-of-00001.safetensors",
      ],
    ] as const) {
      const result = await parseEntry(folder, scan);
      expect(result.formats).toEqual([format]);
      expect(references(result.facts)).toEqual([
        {
          kind: "reference",
          target: shard,
          referenceKind: "path",
          key: "weight_map",
          link: { path: shard, target: path.join(outside, shard), outside: true },
        },
      ]);
      // Noted, not a refusal: the finding comes from the reference.
      expect(anomalies(result.facts).map((fact) => fact.message)).toEqual([
        `shard ${shard} is a link to ${path.join(outside, shard)}, outside the model folder; it was not opened`,
      ]);
      expect(result.inconclusive).toEqual([]);
    }
  });

  test("benign: a .bin index with its shard beside it, a safetensors shard linked inside the folder", async () => {
    const bin = await parseEntry("bin-index-benign", "pytorch_model.bin.index.json");
    expect(bin.formats).toEqual(["weights-index"]);
    expect(references(bin.facts)).toEqual([
      { kind: "reference", target: "pytorch_model-00001-of-00001.bin", referenceKind: "path", key: "weight_map" },
    ]);
    expect([...bin.inconclusive, ...anomalies(bin.facts)]).toEqual([]);
    const linked = await parseEntry("safetensors-index-link-inside", "model.safetensors.index.json");
    expect(references(linked.facts)[0]?.link).toEqual({
      path: "model-00001-of-00001.safetensors",
      target: "shards/model-00001-of-00001.safetensors",
      outside: false,
    });
    // The header was read through the link: a tensor the index does not map would show here.
    expect([...linked.inconclusive, ...anomalies(linked.facts)]).toEqual([]);
  });

  test("the manifest lists every fixture this test reads", () => {
    expect(
      entries
        // ONNX models, TensorFlow checkpoint indexes and joblib pickles have tests of their own.
        .filter((entry) => !/\.(?:onnx|index|pkl)$/.test(entry.file))
        .map((entry) => path.dirname(entry.file))
        .sort(),
    ).toEqual([
      "bin-index-absolute",
      "bin-index-benign",
      "bin-index-dotdot",
      "bin-index-link-outside",
      "bin-index-variant-dotdot",
      "diffusers-index-dotdot",
      "flax-index-dotdot",
      "safetensors-index-link-inside",
      "safetensors-index-link-outside",
      "tf-index-dotdot",
    ]);
  });
});

describe("which index handler claims what", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  test.each([
    ["model.safetensors.index.json", '{"weight_map": {"w": "x.bin"}}', ["safetensors-index"]],
    ["model.safetensors.index.fp16.json", '{"weight_map": {"w": "a.safetensors"}}', ["safetensors-index"]],
    ["pytorch_model.bin.index.json", '{"weight_map": {"w": "a.safetensors"}}', ["weights-index"]],
    ["diffusion_pytorch_model.bin.index.fp16.json", '{"weight_map": {}}', ["weights-index"]],
    ["index.json", '{"metadata": {}, "weight_map": {"w": "a.safetensors"}}', ["safetensors-index"]],
    ["index.json", '{"metadata": {}, "weight_map": {"w": "pytorch_model-00001-of-00002.bin"}}', ["weights-index"]],
    ["pytorch_model.bin.index.json", "not json", []],
    ["config.json", '{"model_type": "llama", "note": "weight_map"}', []],
  ])("%s %s → %j", async (name, text, formats) => {
    expect((await parseWith(plugin.formats, `/nonexistent/${name}`, bytes(text))).formats).toEqual(formats);
  });
});
