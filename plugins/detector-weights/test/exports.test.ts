import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-weights", version: "0.0.0-test", namespace: "weights" });
    expect(validatePlugin(plugin)).toEqual([]);
    expect(plugin.detectors.map((detector) => [detector.id, detector.tensors, [...detector.facts]])).toEqual([
      ["weights", { classes: ["float"] }, []],
    ]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("grades the rules as the contract says and says statistics are not a verdict", () => {
    expect(plugin.rules["hidden-payload"].meta.severity).toBe("critical");
    expect(plugin.rules["non-finite-weights"].meta.severity).toBe("warning");
    expect(plugin.rules["weight-outliers"].meta.severity).toBe("info");
    expect(plugin.rules["weight-outliers"].meta.description).toMatch(/not a verdict/);
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`#${name}$`));
      expect(rule.meta.messages.more, name).toBeTruthy();
    }
  });
});
