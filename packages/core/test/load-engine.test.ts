import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_PLUGINS, parseConfig, pluginsToLoad, resolveConfig } from "../src/config.js";
import { loadEngine } from "../src/engine/load-engine.js";
import { PluginError } from "../src/engine/registry.js";

// Plain-object plugins, written to disk so loadEngine imports them as it would a user's plugin.
const PRESET = `export default { meta: { name: "toy-preset", version: "1.0.0" }, plugins: [{
  meta: { name: "toy-builtin", version: "1.0.0", namespace: "builtin" }, apiVersion: 1,
  rules: { danger: { meta: { description: "d", severity: "critical", confidence: 1, recommended: true,
    remediation: "r", references: [], messages: { found: "found" } } } },
  validateOptions(options) {
    const problems = [];
    for (const key of Object.keys(options)) if (key !== "allow") problems.push(key + ": unknown option (known: allow)");
    if (options.allow !== undefined && !Array.isArray(options.allow)) problems.push("allow: expected an array");
    return problems;
  },
}] };`;
const THIRD_PARTY = `export default { meta: { name: "modelaudit-plugin-extra", version: "2.0.0", namespace: "extra" },
  apiVersion: 1, validateOptions() { throw new Error("boom"); } };`;
// Reads what the preset's plugin emits, so it declares it needs that plugin.
const DEPENDENT = `export default { meta: { name: "modelaudit-plugin-dependent", version: "1.0.0" }, apiVersion: 1,
  requires: ["toy-builtin"] };`;

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function setup(config: object) {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-engine-"));
  directories.push(dir);
  await writeFile(path.join(dir, "preset.mjs"), PRESET);
  await writeFile(path.join(dir, "extra.mjs"), THIRD_PARTY);
  await writeFile(path.join(dir, "dependent.mjs"), DEPENDENT);
  const configFile = path.join(dir, "modelaudit.config.json");
  await writeFile(configFile, JSON.stringify(config));
  // The default preset's name resolves to the toy preset, as the CLI resolves it from its own dependencies.
  const fallbackResolve = (name: string) => {
    if (name !== DEFAULT_PLUGINS[0]) throw new Error(`not installed: ${name}`);
    return pathToFileURL(path.join(dir, "preset.mjs")).href;
  };
  return () => loadEngine({ cwd: dir, configFile, fallbackResolve });
}

const loadedNames = async (load: () => ReturnType<typeof loadEngine>) =>
  (await load()).registry.plugins.map((plugin) => plugin.meta.name);

describe("which plugins a config loads", () => {
  it("adds named plugins to the default preset", async () => {
    expect(await loadedNames(await setup({ plugins: ["./extra.mjs"] }))).toEqual([
      "toy-builtin",
      "modelaudit-plugin-extra",
    ]);
  });

  it("loads only the named plugins with extends: []", async () => {
    expect(await loadedNames(await setup({ extends: [], plugins: ["./extra.mjs"] }))).toEqual([
      "modelaudit-plugin-extra",
    ]);
  });

  it("builds on an explicit preset instead of the default one", async () => {
    const load = await setup({ extends: ["./extra.mjs"] });
    expect(await loadedNames(load)).toEqual(["modelaudit-plugin-extra"]);
  });

  it("resolves extends then plugins, each once", () => {
    expect(pluginsToLoad(undefined, ["a"])).toEqual([...DEFAULT_PLUGINS, "a"]);
    expect(pluginsToLoad([], ["a"])).toEqual(["a"]);
    expect(pluginsToLoad(["p", "a"], ["a", "b"])).toEqual(["p", "a", "b"]);
    expect(resolveConfig(parseConfig({ plugins: ["x"] })).plugins).toEqual([...DEFAULT_PLUGINS, "x"]);
    expect(resolveConfig(parseConfig({ plugins: ["x"] }), { extends: [] }).plugins).toEqual(["x"]);
    expect(() => parseConfig({ extends: "p" })).toThrow(/config\.extends: expected an array of strings/);
  });
});

describe("plugins that need another plugin's output", () => {
  it("load when what they require is loaded", async () => {
    expect(await loadedNames(await setup({ plugins: ["./dependent.mjs"] }))).toContain("modelaudit-plugin-dependent");
  });

  it("are an error naming the missing package otherwise", async () => {
    const load = await setup({ extends: [], plugins: ["./dependent.mjs"] });
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toMatch(/^modelaudit-plugin-dependent needs toy-builtin, which is not loaded/);
  });
});

describe("config checked against the loaded plugins", () => {
  it.each([
    [{ options: { builtin: { allowx: [] } } }, "options.builtin.allowx: unknown option (known: allow)"],
    [{ options: { builtin: { allow: "x" } } }, "options.builtin.allow: expected an array"],
    [{ options: { nosuch: {} } }, 'options.nosuch: no loaded plugin has the namespace "nosuch" (loaded: builtin)'],
    [{ rules: { "nosuch/rule": "off" } }, 'rules["nosuch/rule"]: unknown rule id "nosuch/rule": no loaded plugin'],
    [
      { rules: { "builtin/dangr": "off" } },
      'rules["builtin/dangr"]: unknown rule id "builtin/dangr": toy-builtin has no rule "dangr"',
    ],
    [
      { plugins: ["./extra.mjs"], options: { extra: { a: 1 } } },
      "options.extra: modelaudit-plugin-extra failed to check its options: boom",
    ],
  ])("rejects %j at load, naming the key", async (config, message) => {
    const load = await setup(config);
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain("modelaudit.config.json: ");
  });

  it("accepts valid options, rules and a plugin's options without a validator", async () => {
    const load = await setup({ options: { builtin: { allow: ["x"] } }, rules: { "builtin/danger": "warning" } });
    const engine = await load();
    expect(engine.config.options).toEqual({ builtin: { allow: ["x"] } });
  });
});
