import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { API_VERSION, apiVersionProblem, SUPPORTED_API_VERSIONS } from "../src/api-version.js";
import { loadEngine } from "../src/engine/load-engine.js";
import { PluginError } from "../src/engine/registry.js";
import { ruleNames, rulesByName } from "../src/rule-list.js";

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** Loads one plugin module, written as a third party would publish it, through a config naming it. */
async function loadPluginSource(source: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "modelaudit-api-"));
  directories.push(dir);
  await writeFile(path.join(dir, "plugin.mjs"), source);
  const configFile = path.join(dir, "modelaudit.config.json");
  await writeFile(configFile, JSON.stringify({ extends: [], plugins: ["./plugin.mjs"] }));
  return loadEngine({ cwd: dir, configFile });
}

describe("plugin API version", () => {
  it("loads a plugin that declares a supported version as a literal", async () => {
    expect(SUPPORTED_API_VERSIONS).toContain(API_VERSION);
    const engine = await loadPluginSource(
      `export default { meta: { name: "modelaudit-plugin-now", version: "1.0.0" }, apiVersion: ${API_VERSION} };`,
    );
    expect(engine.registry.plugins.map((plugin) => plugin.meta.name)).toEqual(["modelaudit-plugin-now"]);
  });

  it("refuses a plugin built for a newer API, naming the plugin's version and the core's", async () => {
    const load = loadPluginSource(
      `export default { meta: { name: "modelaudit-plugin-future", version: "3.1.0" }, apiVersion: ${API_VERSION + 1} };`,
    );
    await expect(load).rejects.toThrow(PluginError);
    await expect(load).rejects.toThrow(
      `modelaudit-plugin-future@3.1.0 is built for plugin API ${API_VERSION + 1}; @modelaudit/core@0.0.0-test supports plugin API ${API_VERSION}: upgrade @modelaudit/core`,
    );
  });

  it("refuses an older API and a version that is not an integer, by name rather than as an unknown module", () => {
    expect(apiVersionProblem({ meta: { name: "old", version: "0.1.0" }, apiVersion: 0 })).toMatch(
      /^old@0\.1\.0 is built for plugin API 0; .* upgrade old to a version built for plugin API 1$/,
    );
    expect(apiVersionProblem({ meta: { name: "typo", version: "1.0.0" }, apiVersion: "1" })).toMatch(
      /^typo@1\.0\.0 declares no plugin API version \(apiVersion: 1\)/,
    );
    expect(apiVersionProblem({ meta: { name: "fine", version: "1.0.0" }, apiVersion: API_VERSION })).toBeUndefined();
  });

  it("reports a string apiVersion at load as a version problem", async () => {
    await expect(
      loadPluginSource(
        `export default { meta: { name: "modelaudit-plugin-typo", version: "1.0.0" }, apiVersion: "1" };`,
      ),
    ).rejects.toThrow(/modelaudit-plugin-typo@1\.0\.0 declares no plugin API version/);
  });
});

describe("rules named once, in their own file", () => {
  const meta = {
    description: "d",
    severity: "warning" as const,
    confidence: 1,
    recommended: true,
    remediation: "r",
    references: [],
    messages: { found: "found" },
  };

  it("builds a plugin's rule map and a detector's rule list from the rules' names", () => {
    const first = { name: "first", meta };
    const second = { name: "second", meta };
    expect(rulesByName([first, second])).toEqual({ first, second });
    expect(ruleNames([first, second])).toEqual(["first", "second"]);
  });

  it("refuses two rules with one name", () => {
    expect(() =>
      rulesByName([
        { name: "twin", meta },
        { name: "twin", meta },
      ]),
    ).toThrow("two rules are named twin");
  });
});
