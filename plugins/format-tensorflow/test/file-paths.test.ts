import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Fact } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// tooling/fixtures/tensorflow-file-paths: checkpoint and table ops given literal paths, and the forms
// TensorFlow really writes (generate_tensorflow_file_path_fixtures.py).
const FIXTURES = fileURLToPath(new URL("../../../tooling/fixtures/tensorflow-file-paths/", import.meta.url));

interface Entry {
  file: string;
  expect: string;
}

const entries = (JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8")) as Entry[]).filter((entry) =>
  entry.file.endsWith("saved_model.pb"),
);

function parse(file: string) {
  return parseWith(plugin.formats, `${FIXTURES}${file}`, new Uint8Array(readFileSync(`${FIXTURES}${file}`)));
}

/** `key target` of every path reference, in order. */
function references(facts: Fact[]): string[] {
  return facts.flatMap((fact) =>
    fact.kind === "reference" ? [`${fact.referenceKind} ${fact.key} ${fact.target} @${fact.location?.path}`] : [],
  );
}

describe("tensorflow-file-paths fixtures", () => {
  it.each(entries.map((entry) => [entry.file] as const))("%s is a SavedModel read to the end", async (file) => {
    const parsed = await parse(file);
    expect(parsed.formats).toEqual(["tensorflow-savedmodel"]);
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.facts.filter((fact) => fact.kind === "anomaly")).toEqual([]);
  });

  it.each([
    ["save-v1-absolute/saved_model.pb", ["path Save /root/.bashrc @meta_graph[0]/graph/node[3]"]],
    [
      "savev2-absolute-prefix/saved_model.pb",
      ["path SaveV2 /root/.config/autostart/modelaudit-fixture @meta_graph[0]/graph/node[4]"],
    ],
    // StringJoin('/root', '.bashrc', separator '/') through an Identity.
    ["savev2-joined-prefix/saved_model.pb", ["path SaveV2 /root/.bashrc @meta_graph[0]/graph/node[8]"]],
    [
      "merge-delete-old-dirs/saved_model.pb",
      [
        "path MergeV2Checkpoints /root/important/ckpt @meta_graph[0]/graph/node[2]",
        "path MergeV2Checkpoints /tmp/modelaudit-fixture @meta_graph[0]/graph/node[2]",
      ],
    ],
    [
      "table-etc-passwd/saved_model.pb",
      ["path InitializeTableFromTextFileV2 /etc/passwd @meta_graph[0]/graph/node[2]"],
    ],
  ])("%s: the literal path the op is given is a reference", async (file, expected) => {
    expect(references((await parse(file)).facts)).toEqual(expected);
  });

  it("placeholder-fed checkpoint ops name nothing", async () => {
    expect(references((await parse("benign-saver-placeholder/saved_model.pb")).facts)).toEqual([]);
  });

  it("a TF1 saver's PlaceholderWithDefault is followed to its relative default", async () => {
    expect(references((await parse("benign-tf1-saver-default/saved_model.pb")).facts)).toEqual([
      "path SaveV2 model @meta_graph[0]/graph/node[5]",
      "path RestoreV2 model @meta_graph[0]/graph/node[6]",
    ]);
  });

  it("a Const the loader feeds from asset_file_def is the asset, not its export-time path", async () => {
    expect(references((await parse("benign-table-asset/saved_model.pb")).facts)).toEqual([
      "path InitializeTableFromTextFileV2 assets/labels.txt @meta_graph[0]/graph/node[5]",
      "path asset_filepath:0 vocab.txt @meta_graph[0]/asset_file_def[0]",
    ]);
  });

  it("so is one listed in the legacy saved_model_assets collection", async () => {
    expect(references((await parse("benign-table-legacy-assets/saved_model.pb")).facts)).toEqual([]);
  });
});
