import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveBesideModel } from "../src/format/index.js";

let root: string;
let model: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), "modelaudit-links-")));
  model = path.join(root, "model");
  await mkdir(path.join(model, "sub"), { recursive: true });
  await mkdir(path.join(root, "outside"));
  await writeFile(path.join(model, "weights.bin"), "inside");
  await writeFile(path.join(model, "sub", "x.bin"), "inside");
  await writeFile(path.join(root, "outside", "secret"), "outside");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("resolveBesideModel", () => {
  it("a plain file has no link", async () => {
    expect(await resolveBesideModel(model, "weights.bin")).toEqual({
      real: path.join(model, "weights.bin"),
      file: { path: path.join(model, "weights.bin"), size: "inside".length },
    });
    // A folder is there but is not a file.
    expect(await resolveBesideModel(model, "sub")).toEqual({ real: path.join(model, "sub") });
  });

  it("a link that stays inside the folder is not outside", async () => {
    await symlink("weights.bin", path.join(model, "alias.bin"));
    await symlink("sub", path.join(model, "dir"));
    expect((await resolveBesideModel(model, "alias.bin")).link).toEqual({
      path: "alias.bin",
      target: "weights.bin",
      outside: false,
    });
    expect((await resolveBesideModel(model, "dir/x.bin")).link).toMatchObject({ path: "dir", outside: false });
  });

  it("a file link or a folder link leaving the folder is outside; a dangling one too", async () => {
    await symlink(path.join(root, "outside", "secret"), path.join(model, "data.bin"));
    await symlink(path.join(root, "outside"), path.join(model, "data"));
    await symlink("/nonexistent-modelaudit/x", path.join(model, "gone.bin"));
    expect(await resolveBesideModel(model, "data.bin")).toEqual({
      real: path.join(root, "outside", "secret"),
      file: { path: path.join(root, "outside", "secret"), size: "outside".length },
      link: { path: "data.bin", target: path.join(root, "outside", "secret"), outside: true },
    });
    expect((await resolveBesideModel(model, "data/secret")).link).toMatchObject({ path: "data", outside: true });
    expect(await resolveBesideModel(model, "gone.bin")).toEqual({
      link: { path: "gone.bin", target: "/nonexistent-modelaudit/x", outside: true },
    });
  });

  it("the Hugging Face cache's snapshot → blob links are marked as such", async () => {
    const repo = path.join(root, "models--org--name");
    const snapshot = path.join(repo, "snapshots", "abc123");
    await mkdir(snapshot, { recursive: true });
    await mkdir(path.join(repo, "blobs"));
    await writeFile(path.join(repo, "blobs", "0123abcd"), "blob");
    await symlink("../../blobs/0123abcd", path.join(snapshot, "weights.bin"));
    await symlink(path.join(root, "outside", "secret"), path.join(snapshot, "other.bin"));
    expect((await resolveBesideModel(snapshot, "weights.bin")).link).toEqual({
      path: "weights.bin",
      target: "../../blobs/0123abcd",
      outside: true,
      hfCacheBlob: true,
    });
    expect((await resolveBesideModel(snapshot, "other.bin")).link).not.toHaveProperty("hfCacheBlob");
  });
});
