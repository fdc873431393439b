import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({
      name: "@modelaudit/detector-backdoor",
      version: "0.0.0-test",
      namespace: "backdoor",
    });
    expect(validatePlugin(plugin)).toEqual([]);
    const [detector] = plugin.detectors;
    expect([detector?.id, detector?.tensors, detector?.levels]).toEqual([
      "backdoor",
      { classes: ["float", "integer", "quantized"], minElements: 4 },
      ["standard", "thorough"],
    ]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a docs anchor, a `more` message and the severities the issue asks for", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`/plugins/detector-backdoor#${name}$`));
      expect(rule.meta.messages.more, name).toContain("{{count}}");
      expect(rule.meta.recommended, name).toBe(true);
    }
    for (const [name, rule] of Object.entries(plugin.rules)) expect(rule.meta.severity, name).toBe("warning");
    expect(Object.keys(plugin.rules).sort()).toEqual([
      "bias-outlier",
      "classifier-row",
      "cross-layer",
      "dominated-row",
      "duplicate-neurons",
      "outlier-neuron",
      "pruning-mask",
      "trigger-patch",
    ]);
  });
});
