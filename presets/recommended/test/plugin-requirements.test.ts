import type { Plugin } from "@modelaudit/core";
import { loadEngine } from "@modelaudit/core/engine";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// A plugin that reads another plugin's output declares it (`requires`), so loading it alone is an
// error naming the missing package, never a scan that silently sees less.
const cwd = import.meta.dirname;
const plugins: readonly Plugin[] = preset.plugins;

describe("first-party plugin requirements", () => {
  it("declares each plugin another one reads from", () => {
    const requires = Object.fromEntries(
      plugins.filter((plugin) => plugin.requires).map((plugin) => [plugin.meta.name, plugin.requires]),
    );
    expect(requires).toEqual({
      "@modelaudit/format-pytorch": ["@modelaudit/format-archive"],
      "@modelaudit/format-keras": ["@modelaudit/format-archive"],
      "@modelaudit/detector-archive-safety": ["@modelaudit/format-archive"],
      "@modelaudit/detector-binary": ["@modelaudit/format-executable"],
    });
  });

  it("the preset holds everything its plugins require", () => {
    const names = new Set(plugins.map((plugin) => plugin.meta.name));
    const required = plugins.flatMap((plugin) => plugin.requires ?? []);
    expect(required.filter((name) => !names.has(name))).toEqual([]);
  });

  it.each([
    ["@modelaudit/format-pytorch", "@modelaudit/format-archive"],
    ["@modelaudit/format-keras", "@modelaudit/format-archive"],
    ["@modelaudit/detector-archive-safety", "@modelaudit/format-archive"],
    ["@modelaudit/detector-binary", "@modelaudit/format-executable"],
  ])("%s without %s does not load, and says which package is missing", async (plugin, required) => {
    await expect(loadEngine({ cwd, pluginNames: [plugin] })).rejects.toThrow(`${plugin} needs ${required}`);
    const engine = await loadEngine({ cwd, pluginNames: [plugin, required] });
    expect(engine.registry.plugins.map((loaded) => loaded.meta.name)).toEqual([plugin, required]);
  });
});
