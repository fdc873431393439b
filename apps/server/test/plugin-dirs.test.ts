import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { API_VERSION } from "@modelaudit/core";
import { afterEach, describe, expect, it } from "vitest";
import { EngineSetupError, loadEngine } from "../src/load-engine.js";
import { engineOptions } from "../src/worker.js";

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function temporary(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  directories.push(dir);
  return dir;
}

/** A plugin installed only under `dir`'s node_modules, as the preset's dependencies are under pnpm. */
async function installElsewhere(dir: string): Promise<void> {
  const packageDir = path.join(dir, "node_modules", "modelaudit-plugin-elsewhere");
  await mkdir(packageDir, { recursive: true });
  await writeFile(
    path.join(packageDir, "package.json"),
    JSON.stringify({ name: "modelaudit-plugin-elsewhere", version: "1.0.0", type: "module", exports: "./index.js" }),
  );
  await writeFile(
    path.join(packageDir, "index.js"),
    `export default { meta: { name: "modelaudit-plugin-elsewhere", version: "1.0.0" }, apiVersion: ${API_VERSION} };`,
  );
}

describe("pluginDirs", () => {
  it("resolves plugin names neither the cwd nor the server has, from the folders given, and crosses to scan threads", async () => {
    const cwd = await temporary("modelaudit-cwd-");
    const elsewhere = await temporary("modelaudit-elsewhere-");
    await installElsewhere(elsewhere);
    const options = engineOptions({ cwd, pluginNames: ["modelaudit-plugin-elsewhere"], pluginDirs: [elsewhere] });
    // Plain data: what a scan thread receives.
    expect(JSON.parse(JSON.stringify(options))).toEqual(options);
    const engine = await loadEngine(options);
    expect(engine.registry.plugins.map((plugin) => plugin.meta.name)).toEqual(["modelaudit-plugin-elsewhere"]);
  });

  it("without them, the name does not resolve and the server refuses to start", async () => {
    const cwd = await temporary("modelaudit-cwd-");
    await expect(loadEngine({ cwd, pluginNames: ["modelaudit-plugin-elsewhere"] })).rejects.toThrow(EngineSetupError);
  });
});
