import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = path.join(root, "dist", "cli.js");
const recorder = fileURLToPath(new URL("./fixtures/record-loads.mjs", import.meta.url));
const plugins = fileURLToPath(new URL("../../../plugins/", import.meta.url));
const fixtures = fileURLToPath(new URL("../../../tooling/fixtures/", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "modelaudit-startup-"));
  await writeFile(path.join(dir, "tiny.txt"), "hello world\n");
  await copyFile(path.join(fixtures, "pickle/plain_nested_p2.pkl"), path.join(dir, "model.pkl"));
  await copyFile(path.join(fixtures, "safetensors/model_f32.safetensors"), path.join(dir, "model.safetensors"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The URLs of the modules the built CLI loads for `args` (worker threads included), with the default preset. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = path.join(dir, `loads-${args.join("-").replace(/[^\w-]/g, "_")}.txt`);
  await execFileAsync(process.execPath, ["--import", recorder, cli, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", MODELAUDIT_LOAD_LOG: log },
  }).catch((error: { code?: number }) => {
    // Exit 1 (findings) still ran the whole scan; anything else is a failure of the command.
    if (error.code !== 1) throw error;
  });
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

const zod = (urls: string[]) => urls.filter((url) => url.includes("/node_modules/zod/"));

// zod is ~100 modules (100-150 ms of start-up): only a config that sets plugin options needs it.
describe.skipIf(!existsSync(cli))("start-up of the built CLI", () => {
  it.each([[["--version"]], [["--help"]], [["plugins"]], [["rules"]], [["scan", "tiny.txt"]]])(
    "%j does not load zod",
    async (args) => {
      const urls = await modulesLoaded(args);
      // The recorder saw the CLI itself: an empty log would pass for the wrong reason.
      expect(urls.some((url) => url.endsWith("/dist/cli.js"))).toBe(true);
      expect(zod(urls).slice(0, 3)).toEqual([]);
    },
  );

  it("loads zod when the config sets a plugin's options, to check them", async () => {
    const config = path.join(dir, "modelaudit.config.json");
    await writeFile(config, JSON.stringify({ options: { network: { allowHosts: ["example.com"] } } }));
    try {
      const urls = await modulesLoaded(["scan", "tiny.txt", "--config", config]);
      expect(zod(urls).length).toBeGreaterThan(0);
    } finally {
      await rm(config);
    }
  });
});

/** The relative imports of a built module: static (`from "./x.js"`, `import "./x.js"`) and dynamic (`import("./x.js")`). */
async function importsOf(file: string): Promise<{ static: string[]; dynamic: string[] }> {
  const code = await readFile(file, "utf8");
  const names = (pattern: RegExp) => [...code.matchAll(pattern)].map((match) => match[1] as string);
  return {
    static: names(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g),
    dynamic: names(/\bimport\(\s*"\.\/([^"]+\.js)"\s*\)/g),
  };
}

/**
 * A built format plugin's modules, by file name: `entry`, what dist/index.js loads (itself and the
 * chunks it imports statically, transitively), and `lazy`, what is reached only through `import()`
 * (a handler's parsing code, in whatever chunks the bundler put it).
 */
async function pluginModules(distDirectory: string): Promise<{ entry: Set<string>; lazy: Set<string> }> {
  const walk = async (starts: string[], followDynamic: boolean) => {
    const reached = new Set<string>();
    const pending = [...starts];
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (reached.has(file)) continue;
      reached.add(file);
      const imports = await importsOf(path.join(distDirectory, file));
      pending.push(...imports.static, ...(followDynamic ? imports.dynamic : []));
    }
    return reached;
  };
  const entry = await walk(["index.js"], false);
  const all = await walk(["index.js"], true);
  return { entry, lazy: new Set([...all].filter((file) => !entry.has(file))) };
}

/** Per format plugin (directory name): its modules, and the dist files of it that a run loaded. */
async function formatPluginLoads(urls: readonly string[]) {
  const files = urls.filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url));
  const result = new Map<string, { entry: Set<string>; lazy: Set<string>; loaded: string[] }>();
  for (const plugin of (await readdir(plugins)).filter((name) => name.startsWith("format-"))) {
    const distDirectory = path.join(plugins, plugin, "dist");
    const loaded = files.filter((file) => path.dirname(file) === distDirectory).map((file) => path.basename(file));
    result.set(plugin, { ...(await pluginModules(distDirectory)), loaded });
  }
  return result;
}

const lazyLoaded = (plugin: { lazy: Set<string>; loaded: string[] } | undefined) =>
  plugin?.loaded.filter((file) => plugin.lazy.has(file)) ?? [];

// Format plugins hold their parsing code behind `import()`: start-up costs the sniffers only, and a
// scan imports a handler's parser on the first file of its format.
describe.skipIf(!existsSync(cli))("format plugins' parsing code", () => {
  it("is not loaded by a scan of a plain text file", async () => {
    const loads = await formatPluginLoads(await modulesLoaded(["scan", "tiny.txt"]));
    expect(loads.size).toBeGreaterThanOrEqual(12);
    for (const [name, plugin] of loads) {
      // The plugin was loaded (its sniffers ran), so what follows is not vacuous.
      expect(plugin.loaded, name).toContain("index.js");
      // Everything loaded is what the entry imports statically: no parser came with it.
      expect(
        plugin.loaded.filter((file) => !plugin.entry.has(file)),
        name,
      ).toEqual([]);
      // And there is parsing code behind import() to leave unloaded: the executable handlers only
      // sniff (their headers are read by the binary detector), so that plugin has none.
      if (name !== "format-executable") expect(plugin.lazy.size, name).toBeGreaterThan(0);
    }
  });

  it("is loaded for the formats a scan parses, and only for those", async () => {
    const loads = await formatPluginLoads(await modulesLoaded(["scan", "model.pkl", "model.safetensors"]));
    expect(lazyLoaded(loads.get("format-pickle")).length).toBeGreaterThan(0);
    expect(lazyLoaded(loads.get("format-safetensors")).length).toBeGreaterThan(0);
    expect(lazyLoaded(loads.get("format-keras"))).toEqual([]);
    expect(lazyLoaded(loads.get("format-gguf"))).toEqual([]);
  });
});
