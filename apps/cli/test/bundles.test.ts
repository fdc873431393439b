import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { CRITICAL, runCli, TEST_PLUGIN } from "./harness.js";

// @modelaudit/cli carries no plugins: names the user's project does not install resolve through
// `io.resolvePlugin`, which the `modelaudit` package sets to its own dependencies (the preset).
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function emptyProject(files: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-bundle-"));
  directories.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

const notInstalled = (name: string): string => {
  throw new Error(`Cannot find package '${name}'`);
};

describe("the CLI without the preset", () => {
  it("stops with exit 2 and says what to install or configure", async () => {
    const cwd = await emptyProject({ "model.txt": CRITICAL });
    const result = await runCli(["scan", "--no-progress", "model.txt"], { cwd, resolvePlugin: notInstalled });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("cannot load plugin @modelaudit/preset-recommended");
    expect(result.stderr).toContain("install the modelaudit package");
    expect(result.stderr).toContain('"extends": []');
  });

  it("scans with the plugins a config names, and nothing else", async () => {
    const cwd = await emptyProject({
      "model.txt": CRITICAL,
      "modelaudit.config.json": JSON.stringify({ extends: [], plugins: [TEST_PLUGIN] }),
    });
    const scan = await runCli(["scan", "--no-progress", "model.txt"], { cwd, resolvePlugin: notInstalled });
    expect(scan.exitCode).toBe(1);
    const plugins = await runCli(["plugins", "--format", "json"], { cwd, resolvePlugin: notInstalled });
    expect(JSON.parse(plugins.stdout).plugins.map((plugin: { name: string }) => plugin.name)).toEqual([
      "modelaudit-plugin-cli-test",
    ]);
  });
});

describe("a bundle that supplies its own resolver", () => {
  it("loads the default preset through it when the project does not install one", async () => {
    const cwd = await emptyProject({ "model.txt": CRITICAL });
    // A preset of the bundle, reached only through the resolver.
    const bundled = path.join(cwd, "bundled-preset.mjs");
    await writeFile(
      bundled,
      `import plugin from ${JSON.stringify(pathToFileURL(TEST_PLUGIN).href)};\n` +
        `export default { meta: { name: "@modelaudit/preset-recommended", version: "0.0.0" }, plugins: [plugin] };\n`,
    );
    const asked: string[] = [];
    const resolvePlugin = (name: string) => {
      asked.push(name);
      if (name === "@modelaudit/preset-recommended") return pathToFileURL(bundled).href;
      return notInstalled(name);
    };
    const result = await runCli(["scan", "--no-progress", "model.txt"], { cwd, resolvePlugin });
    expect(asked).toEqual(["@modelaudit/preset-recommended"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("test/bad-value");
  });
});

describe("hash and verify load plugins as scan does", () => {
  // They scan to hash archive members: a bundle's resolver must reach the plugins there too.
  it("stop with exit 2 naming what to install when the resolver has no preset", async () => {
    const cwd = await emptyProject({ "model.txt": CRITICAL });
    const hash = await runCli(["hash", "model.txt"], { cwd, resolvePlugin: notInstalled });
    expect(hash.exitCode).toBe(2);
    expect(hash.stderr).toContain("cannot load plugin @modelaudit/preset-recommended");
  });

  it("hash and verify with the plugins a config names, resolved through the bundle's resolver", async () => {
    const cwd = await emptyProject({
      "modelaudit.config.json": JSON.stringify({ extends: [], plugins: ["modelaudit-plugin-third-party"] }),
    });
    await mkdir(path.join(cwd, "model"));
    await writeFile(path.join(cwd, "model", "model.txt"), CRITICAL);
    const asked: string[] = [];
    const resolvePlugin = (name: string) => {
      asked.push(name);
      if (name === "modelaudit-plugin-third-party") return pathToFileURL(TEST_PLUGIN).href;
      return notInstalled(name);
    };
    const hash = await runCli(["hash", "model", "-o", "manifest.json"], { cwd, resolvePlugin });
    expect(hash.exitCode).toBe(0);
    const verify = await runCli(["verify", "model", "--manifest", "manifest.json"], { cwd, resolvePlugin });
    expect(verify.exitCode).toBe(0);
    expect(asked).toEqual(["modelaudit-plugin-third-party", "modelaudit-plugin-third-party"]);
  });
});

// The `modelaudit` package depends on the CLI, core and the preset only: a first-party plugin a
// config names alone is a dependency of the preset, which a strict layout (pnpm's, this workspace's)
// does not place beside the package. Its bin resolves such names from the preset's own folder.
const modelauditBin = fileURLToPath(new URL("../../modelaudit/bin/modelaudit.js", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../dist/cli.js", import.meta.url)));

describe.skipIf(!built)("the modelaudit package's command", () => {
  const runBin = (args: string[], cwd: string) =>
    promisify(execFile)(process.execPath, [modelauditBin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
    }).then(
      (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("loads the first-party plugins a config names, subpath entries included", async () => {
    const cwd = await emptyProject({
      "config.json": JSON.stringify({ model_type: "bert", hub_token: "ghp_Q8m2ZxT4kLp9Rw7VnB3cY6dHs1JfA0gKe5Ut" }),
      "modelaudit.config.json": JSON.stringify({
        extends: [],
        plugins: [
          "@modelaudit/format-huggingface",
          "@modelaudit/detector-secrets",
          "@modelaudit/detector-jit/manifest",
        ],
      }),
    });
    const listed = await runBin(["plugins", "--format", "json"], cwd);
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout).plugins.map((plugin: { name: string }) => plugin.name)).toEqual([
      "@modelaudit/format-huggingface",
      "@modelaudit/detector-secrets",
      "@modelaudit/detector-jit",
    ]);
    const scan = await runBin(["scan", "--no-progress", "config.json"], cwd);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain("secrets/github-token");
  });

  it("still refuses a name no package exports, naming it", async () => {
    const cwd = await emptyProject({
      "config.json": "{}",
      "modelaudit.config.json": JSON.stringify({ extends: [], plugins: ["@modelaudit/detector-jit/nothing"] }),
    });
    const scan = await runBin(["scan", "--no-progress", "config.json"], cwd);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain("cannot load plugin @modelaudit/detector-jit/nothing");
  });
});
