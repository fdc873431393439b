import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { copyFixturesWithLinks, type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import plugin from "../src/index.js";
import { FIXTURES_ROOT, references, tensors } from "./helpers.js";

// tooling/fixtures/linked-paths (generate_linked_path_fixtures.py): no link is committed; each entry's
// links are made in a temporary copy, `{OUTSIDE}` standing for the copy's outside/ folder.
let root: string;
let entries: { file: string }[];
beforeAll(async () => {
  root = await copyFixturesWithLinks(`${FIXTURES_ROOT}linked-paths`);
  entries = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8"));
});
afterAll(async () => {
  await rm(path.dirname(root), { recursive: true, force: true });
});

async function parseLinked(folder: string) {
  const file = path.join(root, folder, "model.onnx");
  return parseWith(plugin.formats, file, await readFile(file));
}

/** The bytes a tensor was declared with: [1, 2, 3, 4] as float32 in every fixture. */
async function bytesOf(result: ParsedFacts): Promise<number[][]> {
  return Promise.all(
    result.tensorSources.map(async ({ source }) => [
      ...new Float32Array((await source.read(0, source.size)).slice().buffer),
    ]),
  );
}

describe("external data reached through a symbolic link", () => {
  test.each([
    ["onnx-link-file-outside", { path: "weights.data", target: "{OUTSIDE}/weights.data" }],
    ["onnx-link-dir-outside", { path: "data", target: "{OUTSIDE}" }],
    ["onnx-link-dangling-outside", { path: "weights.bin", target: "{OUTSIDE}/absent/weights.bin" }],
  ])("%s: the reference names the link out, and nothing behind it is read", async (folder, link) => {
    const result = await parseLinked(folder);
    expect(references(result.facts)).toEqual([
      expect.objectContaining({
        referenceKind: "path",
        key: "W",
        link: { path: link.path, target: link.target.replace("{OUTSIDE}", path.join(root, "outside")), outside: true },
      }),
    ]);
    // The tensor is declared without data: the file outside is never opened, as for a `../` location.
    expect(tensors(result.facts).map((tensor) => [tensor.name, tensor.data])).toEqual([["W", undefined]]);
    expect(result.tensorSources).toEqual([]);
    expect(result.inconclusive).toEqual([]);
  });

  test("a link that stays inside the folder is followed and its bytes read", async () => {
    const result = await parseLinked("onnx-link-inside");
    expect(references(result.facts)[0]?.link).toEqual({
      path: "weights.data",
      target: "store/model.onnx.data",
      outside: false,
    });
    expect(await bytesOf(result)).toEqual([[1, 2, 3, 4]]);
    expect(result.inconclusive).toEqual([]);
  });

  test("the Hugging Face cache's snapshot → blob link is the cache's layout: read, marked as such", async () => {
    const snapshot = entries.find((entry) => entry.file.includes("/snapshots/"))!;
    const result = await parseLinked(path.dirname(snapshot.file));
    expect(references(result.facts)[0]?.link).toMatchObject({ outside: true, hfCacheBlob: true });
    expect(await bytesOf(result)).toEqual([[1, 2, 3, 4]]);
    expect(result.inconclusive).toEqual([]);
  });
});
