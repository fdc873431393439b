import type { Fact } from "@modelaudit/core";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { verdicts } from "./facts-handler.js";

// The references and layers format-keras emits for the differential-hdf5 fixtures, on a source the
// handler labelled `keras` (the detector judges Keras load-time paths only there).
const reference = (target: string, referenceKind: "path" | "url", key: string): Fact => ({
  kind: "reference",
  target,
  referenceKind,
  key,
  location: { path: `$.config.layers[2].config.${key.split(".")[1]}` },
});
const layer = (op: string): Fact => ({
  kind: "graph-node",
  framework: "keras",
  op,
  location: { path: "$.config.layers[2]" },
});

function scan(facts: Fact[], formats = ["keras-v3", "keras"]) {
  return scanBytes("config.json", factsBytes({ formats, facts }), [factsPlugin, plugin]);
}

describe("custom-ops/keras-path-loading", () => {
  it.each<[string, Fact[], string[]]>([
    [
      "a vocabulary fetched from a bucket",
      [reference("gs://bucket/vocab.txt", "url", "TextVectorization.vocabulary")],
      ["critical custom-ops/keras-path-loading"],
    ],
    [
      "BPE merges from an unknown host",
      [reference("https://attacker.example/merges.txt", "url", "BytePairTokenizer.merges")],
      ["critical custom-ops/keras-path-loading"],
    ],
    [
      "a tensorflow_hub KerasLayer from tfhub.dev: a dependency, a warning for the layer and the URL",
      [layer("KerasLayer"), reference("https://tfhub.dev/google/nnlm-en-dim50/2", "url", "KerasLayer.handle")],
      ["warning custom-ops/keras-path-loading", "warning custom-ops/keras-path-loading"],
    ],
    [
      "/etc/passwd as a vocabulary: external-data-traversal, not twice",
      [reference("/etc/passwd", "path", "StringLookup.vocabulary")],
      ["critical custom-ops/external-data-traversal"],
    ],
    [
      "a TFSMLayer loading a relative SavedModel",
      [layer("TFSMLayer"), reference("exported/saved_model", "path", "TFSMLayer.filepath")],
      ["info custom-ops/keras-path-loading", "warning custom-ops/keras-path-loading"],
    ],
    [
      "a relative vocabulary file, as older Keras saved it",
      [reference("vocab.txt", "path", "StringLookup.vocabulary")],
      ["info custom-ops/keras-path-loading"],
    ],
    ["ordinary Keras layers", [layer("Dense"), layer("StringLookup"), layer("Lambda")], []],
  ])("%s", async (_name, facts, expected) => {
    expect(verdicts(await scan(facts))).toEqual(expected);
  });

  it("references of sources that are not Keras are left to the other rules", async () => {
    const facts = [
      reference("weights.bin", "path", "graph.external_data"),
      reference("https://example.com/x", "url", "doc.url"),
    ];
    expect(verdicts(await scan(facts, ["onnx"]))).toEqual([]);
  });

  it("names the argument, where it sits and what is fetched", async () => {
    const report = await scan([reference("gs://bucket/vocab.txt", "url", "TextVectorization.vocabulary")]);
    expect(report.findings[0]?.message).toBe(
      "TextVectorization.vocabulary at $.config.layers[2].config.vocabulary makes the Keras loader fetch gs://bucket/vocab.txt when the model is loaded",
    );
  });
});
