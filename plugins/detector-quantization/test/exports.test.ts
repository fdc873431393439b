import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({
      name: "@modelaudit/detector-quantization",
      version: "0.0.0-test",
      namespace: "quantization",
    });
    expect(validatePlugin(plugin)).toEqual([]);
    const [detector] = plugin.detectors;
    expect([detector.id, [...detector.facts], detector.tensors, detector.levels]).toEqual([
      "quantization",
      ["text", "tensor", "call"],
      {},
      ["standard", "thorough"],
    ]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a docs anchor, a `more` message and its severity", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`/plugins/detector-quantization#${name}$`));
      expect(rule.meta.messages.more, name).toContain("{{count}}");
      expect(rule.meta.recommended, name).toBe(true);
    }
    const severities = Object.fromEntries(
      Object.entries(plugin.rules).map(([name, rule]) => [name, rule.meta.severity]),
    );
    expect(severities).toEqual({
      "broken-scale": "warning",
      "zero-point-range": "warning",
      "int8-range": "warning",
      "dtype-mismatch": "warning",
      "non-finite-weights": "warning",
      "pruned-rows": "info",
    });
  });
});
