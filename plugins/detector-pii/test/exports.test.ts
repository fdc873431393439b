import { CWE_359, validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-pii", version: "0.0.0-test", namespace: "pii" });
    expect(validatePlugin(plugin)).toEqual([]);
    // Raw bytes come as the engine's printable strings, not as chunks.
    expect(
      plugin.detectors.map((detector) => [detector.id, detector.strings, detector.bytes, [...detector.facts]]),
    ).toEqual([["pii", true, undefined, ["text", "code"]]]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a docs anchor, privacy references and a `found` message", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`#${name}$`));
      expect(rule.meta.references, name).toContain(CWE_359);
      expect(rule.meta.messages.found, name).toBeTruthy();
      expect(rule.meta.recommended, name).toBe(true);
    }
    expect(plugin.rules["credit-card-number"]?.meta.severity).toBe("critical");
    expect(plugin.rules["email-address"]?.meta.severity).toBe("info");
  });
});
