import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-crypto", version: "0.0.0-test", namespace: "crypto" });
    expect(validatePlugin(plugin)).toEqual([]);
    expect(
      plugin.detectors.map((detector) => [detector.id, detector.strings, detector.bytes, [...detector.facts]]),
    ).toEqual([["crypto", true, undefined, ["text", "code", "call", "import", "entry"]]]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a docs anchor, a `more` message and the severities the issue asks for", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`/plugins/detector-crypto#${name}$`));
      expect(rule.meta.messages.more, name).toContain("{{count}}");
      expect(rule.meta.recommended, name).toBe(true);
    }
    const severities = Object.fromEntries(
      Object.entries(plugin.rules).map(([name, rule]) => [name, rule.meta.severity]),
    );
    expect(severities).toEqual({
      "weak-checksum": "warning",
      "hard-coded-key": "warning",
      "key-beside-encrypted-weights": "critical",
      "ecb-mode": "warning",
      "fixed-seed": "warning",
      "insecure-random": "warning",
    });
  });
});
