import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-dp", version: "0.0.0-test", namespace: "dp" });
    expect(validatePlugin(plugin)).toEqual([]);
    const [detector] = plugin.detectors;
    expect([detector.id, [...detector.facts], detector.levels]).toEqual(["dp", ["text"], ["standard", "thorough"]]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a docs anchor, a `more` message and its severity", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`/plugins/detector-dp#${name}$`));
      expect(rule.meta.messages.more, name).toContain("{{count}}");
    }
    const severities = Object.fromEntries(
      Object.entries(plugin.rules).map(([name, rule]) => [name, rule.meta.severity]),
    );
    expect(severities).toEqual({
      "epsilon-over-budget": "warning",
      "epsilon-understated": "warning",
      "zero-noise": "warning",
      "claim-without-parameters": "info",
    });
  });
});
