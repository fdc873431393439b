import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is a valid plugin under the jit namespace", () => {
    expect(plugin.meta.name).toBe("@modelaudit/detector-jit");
    expect(plugin.meta.namespace).toBe("jit");
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });
});
