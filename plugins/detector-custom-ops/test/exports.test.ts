import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is a valid plugin under the custom-ops namespace", () => {
    expect(plugin.meta.name).toBe("@modelaudit/detector-custom-ops");
    expect(plugin.meta.namespace).toBe("custom-ops");
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a description, remediation, references, docs and messages", () => {
    for (const rule of Object.values(plugin.rules)) {
      expect(rule.meta.description.length).toBeGreaterThan(20);
      expect(rule.meta.remediation.length).toBeGreaterThan(10);
      expect(rule.meta.references.length).toBeGreaterThan(0);
      expect(rule.meta.docs?.url).toMatch(/^https:\/\//);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    }
  });
});
