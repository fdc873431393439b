import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Fact, ParseContext, ReferenceFact } from "@modelaudit/core";
import { copyFixturesWithLinks } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { emitSideFiles } from "../src/side-files.js";
import { parse } from "./helpers.js";

// joblib < 0.10 files (tooling/fixtures/generate_differential_npy_descr_fixtures.py): the main pickle's
// NDArrayWrapper objects make joblib.load open os.path.join(os.path.dirname(main), filename).
const FOLDER = path.resolve(import.meta.dirname, "../../../tooling/fixtures/differential-joblib-ndarraywrapper");

async function references(file: string, name = path.join(FOLDER, file)): Promise<ReferenceFact[]> {
  const result = await parse(new Uint8Array(readFileSync(path.join(FOLDER, file))), name);
  return result.facts.filter((fact): fact is ReferenceFact => fact.kind === "reference");
}

describe("joblib NDArrayWrapper side files", () => {
  it("emits the filename, where it resolves beside the file, and that it is there", async () => {
    expect(await references("model.pkl")).toEqual([
      expect.objectContaining({
        target: "model.pkl_01.npy",
        referenceKind: "path",
        key: "joblib NDArrayWrapper filename",
        resolved: { path: path.join(FOLDER, "model.pkl_01.npy"), exists: true },
      }),
    ]);
  });

  it("says when the side file is missing", async () => {
    expect(await references("side_missing.pkl")).toEqual([
      expect.objectContaining({ resolved: { path: path.join(FOLDER, "side_missing.pkl_01.npy"), exists: false } }),
    ]);
  });

  it("never looks outside the file's folder: absolute and climbing names are resolved, not checked", async () => {
    expect(await references("side_absolute.pkl")).toEqual([
      expect.objectContaining({
        target: "/tmp/modelaudit-fixture/payload.npy",
        resolved: { path: "/tmp/modelaudit-fixture/payload.npy" },
      }),
    ]);
    const [climbing] = await references("side_traversal.pkl");
    expect(climbing?.target).toBe("../differential-npy-descr/subarray_tuple_object.npy");
    expect(climbing?.resolved).toEqual({ path: path.resolve(FOLDER, climbing?.target ?? "") });
  });

  it("emits only the reference for a pickle inside an archive (no folder of its own)", async () => {
    const emitted: Fact[] = [];
    const context = {
      file: path.join(FOLDER, "x.zip"),
      memberChain: ["model.pkl"],
      emit: (fact: Fact) => emitted.push(fact),
    };
    const fact: ReferenceFact = { kind: "reference", target: "model.pkl_01.npy", referenceKind: "path" };
    await emitSideFiles(context as unknown as ParseContext, [fact]);
    expect(emitted).toEqual([fact]);
  });

  it("emits nothing for a wrapper that is never BUILT (joblib reads the file only then)", async () => {
    expect(await references("wrapper_unbuilt_missing.pkl")).toEqual([]);
  });

  it("follows a side file's symbolic link as joblib's open does: inside the folder read, outside named only", async () => {
    // tooling/fixtures/linked-paths: the links are made in a copy (none is committed).
    const root = await copyFixturesWithLinks(path.resolve(FOLDER, "../linked-paths"));
    try {
      const reached = async (folder: string) => {
        const file = path.join(root, folder, "model.pkl");
        const result = await parse(new Uint8Array(readFileSync(file)), file);
        return result.facts.filter((fact): fact is ReferenceFact => fact.kind === "reference");
      };
      const [inside] = await reached("joblib-side-link-inside");
      expect(inside).toMatchObject({
        target: "model.pkl_01.npy",
        resolved: { exists: true },
        link: { path: "model.pkl_01.npy", target: "arrays/stored.npy", outside: false },
      });
      const [outside] = await reached("joblib-side-link-outside");
      expect(outside).toMatchObject({
        target: "model.pkl_01.npy",
        link: { path: "model.pkl_01.npy", target: path.join(root, "outside", "side.npy"), outside: true },
      });
    } finally {
      await rm(path.dirname(root), { recursive: true, force: true });
    }
  });
});
