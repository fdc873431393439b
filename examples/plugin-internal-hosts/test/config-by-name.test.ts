import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEngine, scan } from "@modelaudit/core/engine";
import { afterEach, expect, it } from "vitest";

// As a user would: a project with the plugin installed in node_modules and named in its config.
const packageDir = path.resolve(fileURLToPath(import.meta.url), "../..");
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function project(config: object) {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-plugin-project-"));
  directories.push(dir);
  await mkdir(path.join(dir, "node_modules"));
  await symlink(packageDir, path.join(dir, "node_modules", "modelaudit-plugin-internal-hosts"), "dir");
  const configFile = path.join(dir, "modelaudit.config.json");
  await writeFile(configFile, JSON.stringify(config));
  return { dir, configFile };
}

it("loads the built package by its name from the config, with its options", async () => {
  const { dir, configFile } = await project({
    extends: [],
    plugins: ["modelaudit-plugin-internal-hosts"],
    options: { "internal-hosts": { domains: ["acme.example"] } },
  });
  const model = path.join(dir, "model.bin");
  await writeFile(model, "weights trained on gpu3.ml.acme.example, evaluated at eval.lan\n");

  const engine = await loadEngine({ cwd: dir, configFile });
  expect(engine.registry.plugins.map((plugin) => plugin.meta.name)).toEqual(["modelaudit-plugin-internal-hosts"]);
  const report = await scan([model], { registry: engine.registry, config: engine.config, concurrency: 1 });
  expect(report.findings.map((finding) => finding.message)).toEqual([
    "gpu3.ml.acme.example is a host of a private network (.acme.example).",
    "eval.lan is a host of a private network (.lan).",
  ]);
});

it("stops at load when an option is misspelt, naming its key", async () => {
  const { dir, configFile } = await project({
    extends: [],
    plugins: ["modelaudit-plugin-internal-hosts"],
    options: { "internal-hosts": { domain: ["acme.example"] } },
  });
  await expect(loadEngine({ cwd: dir, configFile })).rejects.toThrow(
    "options.internal-hosts.domain: unknown option (known: domains)",
  );
});
