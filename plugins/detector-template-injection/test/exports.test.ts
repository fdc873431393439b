import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is a valid plugin under the template-injection namespace", () => {
    expect(plugin.meta.name).toBe("@modelaudit/detector-template-injection");
    expect(plugin.meta.namespace).toBe("template-injection");
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });
});
