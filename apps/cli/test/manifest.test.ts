import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareManifest, type Manifest } from "../src/manifest/manifest.js";
import { readManifest } from "../src/manifest/read-manifest.js";
import { judgeFolder } from "../src/verify-command.js";
import { runCli } from "./harness.js";

// The real preset (a devDependency of the CLI): the archive handlers give member digests.
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures");
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const sha512 = (bytes: Uint8Array | string) => createHash("sha512").update(bytes).digest("hex");

let root: string;
let model: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "modelaudit-manifest-"));
  model = path.join(root, "model");
  await mkdir(path.join(model, "weights"), { recursive: true });
  await copyFile(
    path.join(fixtures, "supply-chain/pulled/model.safetensors"),
    path.join(model, "weights/model.safetensors"),
  );
  await copyFile(path.join(fixtures, "archives/benign_nested_3.zip"), path.join(model, "bundle.zip"));
  await writeFile(path.join(model, "config.json"), '{"model_type": "tiny"}\n');
  await writeFile(path.join(model, "tokenizer.txt"), "hello world\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("modelaudit hash, then modelaudit verify", () => {
  it("round trip: unchanged, then an added, a removed and a changed file", async () => {
    const manifestFile = path.join(root, "manifest.json");
    const hashed = await runCli(["hash", model, "-o", manifestFile], { cwd: root });
    expect(hashed.stderr).toContain("4 files hashed");
    expect(hashed.exitCode).toBe(0);
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as Manifest;
    expect(manifest.files.map((file) => file.path)).toEqual([
      "bundle.zip",
      "config.json",
      "tokenizer.txt",
      "weights/model.safetensors",
    ]);
    const config = await readFile(path.join(model, "config.json"));
    expect(manifest.files[1]).toEqual({
      path: "config.json",
      size: config.length,
      sha256: sha256(config),
      sha512: sha512(config),
    });
    // Members of the nested archive, digested in the same pass as the file.
    const bundle = manifest.files[0]!;
    expect(bundle.members?.map((member) => member.memberChain.join(" > "))).toEqual([
      "level2.zip",
      "level2.zip > level3.zip",
      "level2.zip > level3.zip > hello.txt",
    ]);
    expect(bundle.members?.[2]?.sha256).toBe("cb2079316a1aec87fd9c1ba5c78cf377404f02a12155f814c3dc618a9d62a5fe");
    expect(bundle.members?.[2]?.sha512).toMatch(/^[0-9a-f]{128}$/);

    const clean = await runCli(["verify", model, "--manifest", manifestFile], { cwd: root });
    expect(clean.stdout).toBe("verified against the modelaudit manifest: 4 files unchanged\n");
    expect(clean.exitCode).toBe(0);

    await writeFile(path.join(model, "config.json"), '{"model_type": "tiny", "auto_map": {"x": "evil.Model"}}\n');
    await unlink(path.join(model, "tokenizer.txt"));
    await writeFile(path.join(model, "weights/extra.bin"), "new weights\n");
    const changed = await runCli(["verify", model, "--manifest", manifestFile, "--format", "json"], { cwd: root });
    expect(changed.exitCode).toBe(1);
    const result = JSON.parse(changed.stdout);
    expect(result).toMatchObject({
      kind: "modelaudit",
      added: ["weights/extra.bin"],
      removed: ["tokenizer.txt"],
      unchanged: 2,
      unreadable: [],
      exitCode: 1,
    });
    expect(result.changed.map((file: { path: string }) => file.path)).toEqual(["config.json"]);
    const text = await runCli(["verify", model, "--manifest", manifestFile], { cwd: root });
    expect(text.stdout).toMatch(/^added {4}weights\/extra\.bin\nremoved {2}tokenizer\.txt\nchanged {2}config\.json\n/);
    expect(text.stdout).toContain(
      "3 differences from the modelaudit manifest (1 added, 1 removed, 1 changed; 2 unchanged)",
    );
  }, 60_000);

  it("reads an OpenSSF model-signing bundle as the manifest (resources by name, default ignore paths)", async () => {
    const folder = path.join(root, "signed");
    await mkdir(path.join(folder, ".git"), { recursive: true });
    await writeFile(path.join(folder, "a.txt"), "alpha\n");
    await writeFile(path.join(folder, "b.txt"), "beta\n");
    await writeFile(path.join(folder, ".git", "HEAD"), "ref: refs/heads/main\n");
    const resources = [
      { name: "a.txt", algorithm: "sha256", digest: sha256("alpha\n") },
      { name: "b.txt", algorithm: "sha256", digest: sha256("BETA\n") },
    ];
    const statement = {
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: "signed", digest: { sha256: "0".repeat(64) } }],
      predicateType: "https://model_signing/signature/v1.0",
      predicate: { serialization: { method: "files", hash_type: "sha256", allow_symlinks: false }, resources },
    };
    const bundle = {
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      dsseEnvelope: {
        payload: Buffer.from(JSON.stringify(statement)).toString("base64"),
        payloadType: "application/vnd.in-toto+json",
        signatures: [],
      },
    };
    await writeFile(path.join(folder, "model.sig"), JSON.stringify(bundle));
    const result = await runCli(["verify", folder, "--manifest", path.join(folder, "model.sig"), "-f", "json"]);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: "model-signing",
      added: [],
      removed: [],
      changed: [{ path: "b.txt" }],
      unchanged: 1,
    });
  }, 60_000);

  it("a manifest that is neither kind is a usage error (exit 2)", async () => {
    await writeFile(path.join(root, "other.json"), JSON.stringify({ predicateType: "https://slsa.dev/provenance/v1" }));
    const result = await runCli(["verify", model, "--manifest", path.join(root, "other.json")]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/not a ModelAudit manifest or an OpenSSF model-signing statement/);
    expect(() => readManifest("[1]")).toThrow(/must be a JSON object/);
  });

  // Root reads any file: the verifier then runs as `nobody` (runuser, as .ci/run does for PostgreSQL),
  // which needs a checkout `nobody` can read (not one under a private home folder).
  const cli = path.resolve(import.meta.dirname, "../bin/modelaudit.js");
  const asRoot = process.getuid?.() === 0;
  const nobodyReadsCli = (() => {
    try {
      execFileSync("runuser", [
        "-u",
        "nobody",
        "--",
        process.execPath,
        "-e",
        `require("fs").accessSync(${JSON.stringify(cli)})`,
      ]);
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(asRoot && !nobodyReadsCli)(
    "a file the verifier may not read: listed as unreadable, not removed, exit 2 (a real EACCES)",
    async () => {
      const folder = path.join(root, "locked");
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, "a.bin"), "alpha\n");
      await writeFile(path.join(folder, "b.bin"), "beta\n");
      const manifestFile = path.join(root, "locked.json");
      expect((await runCli(["hash", folder, "-o", manifestFile], { cwd: root })).exitCode).toBe(0);
      await Promise.all([chmod(root, 0o755), chmod(folder, 0o755), chmod(manifestFile, 0o644)]);
      await chmod(path.join(folder, "b.bin"), 0o000);
      const command = [process.execPath, cli, "verify", folder, "--manifest", manifestFile, "-f", "json"];
      const result = await promisify(execFile)(asRoot ? "runuser" : (command[0] as string), [
        ...(asRoot ? ["-u", "nobody", "--"] : []),
        ...(asRoot ? command : command.slice(1)),
      ]).catch((error: { code: number; stdout: string }) => error);
      expect((result as { code?: number }).code).toBe(2);
      expect(JSON.parse((result as { stdout: string }).stdout)).toMatchObject({
        added: [],
        removed: [],
        changed: [],
        unchanged: 1,
        unreadable: [{ path: "b.bin", reason: expect.stringContaining("EACCES") }],
        exitCode: 2,
      });
    },
    60_000,
  );

  it("compares member digests to say where inside an archive a change is", () => {
    const member = (name: string, digest: string) => ({ memberChain: ["a.zip", name], size: 1, sha256: digest });
    const difference = compareManifest(
      [{ path: "a.zip", sha256: "1".repeat(64), members: [member("x", "a".repeat(64)), member("y", "b".repeat(64))] }],
      [
        {
          path: "a.zip",
          size: 1,
          sha256: "2".repeat(64),
          members: [member("x", "c".repeat(64)), member("z", "d".repeat(64))],
        },
      ],
    );
    expect(difference.changed[0]?.why.slice(1)).toEqual([
      "member a.zip > x changed",
      "member a.zip > y removed",
      "member a.zip > z added",
    ]);
  });

  it("an unreadable file is exit 2 and not 'removed'; a change or a bad bundle signature is exit 1", () => {
    const digest = (seed: string) => sha256(seed);
    const expected = readManifest(
      JSON.stringify({
        manifestVersion: 1,
        tool: { name: "t", version: "0" },
        files: [
          { path: "a.bin", size: 1, sha256: digest("a") },
          { path: "b.bin", size: 1, sha256: digest("b") },
        ],
      }),
    );
    const entry = (name: string, sha: string | null, outcome: "clean" | "error" = "clean") => ({
      path: path.join("/m", name),
      size: 1,
      formats: [],
      sha256: sha,
      outcome,
      reasons: outcome === "error" ? ["EACCES: permission denied"] : [],
      members: 0,
      durationMs: 0,
    });
    const unreadable = judgeFolder(expected, [entry("a.bin", digest("a")), entry("b.bin", null, "error")], "/m");
    expect(unreadable.exitCode).toBe(2);
    expect(unreadable.difference.removed).toEqual([]);
    expect(unreadable.failed).toEqual([{ path: "b.bin", reason: "EACCES: permission denied" }]);
    const changed = judgeFolder(expected, [entry("a.bin", digest("x")), entry("b.bin", null, "error")], "/m");
    expect(changed.exitCode).toBe(1);
    const same = [entry("a.bin", digest("a")), entry("b.bin", digest("b"))];
    expect(judgeFolder(expected, same, "/m").exitCode).toBe(0);
    expect(judgeFolder(expected, same, "/m", true).exitCode).toBe(1);
  });
});
