import { API_VERSION, CWE_502, OWASP_ML06, validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is a valid plugin in the code-execution namespace", () => {
    expect(plugin.meta).toMatchObject({ name: "@modelaudit/detector-code-execution", namespace: "code-execution" });
    expect(plugin.apiVersion).toBe(API_VERSION);
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule one-line remediation, the deserialization references, and a recommended setting", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.remediation.includes("\n"), name).toBe(false);
      expect(rule.meta.references, name).toContain(CWE_502);
      expect(rule.meta.references, name).toContain(OWASP_ML06);
      expect(rule.meta.recommended, name).toBe(true);
    }
  });
});
