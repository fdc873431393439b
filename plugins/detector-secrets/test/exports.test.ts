import { CWE_798, validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-secrets", version: "0.0.0-test", namespace: "secrets" });
    expect(validatePlugin(plugin)).toEqual([]);
    // Raw bytes come as the engine's printable strings, not as chunks.
    expect(
      plugin.detectors.map((detector) => [detector.id, detector.strings, detector.bytes, [...detector.facts]]),
    ).toEqual([["secrets", true, undefined, ["text", "code"]]]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule metadata, a docs anchor and a `found` message with kind and place", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.description.length, name).toBeGreaterThan(20);
      expect(rule.meta.remediation.length, name).toBeGreaterThan(10);
      expect(rule.meta.references, name).toContain(CWE_798);
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`#${name}$`));
      expect(rule.meta.messages.found, name).toBe("{{kind}} in {{place}}");
    }
    expect(plugin.rules["aws-key-pair"]?.meta.severity).toBe("critical");
    expect(plugin.rules["generic-credential"]?.meta.severity).toBe("warning");
  });
});
