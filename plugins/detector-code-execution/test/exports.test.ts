import { readdirSync } from "node:fs";
import { API_VERSION, validatePlugin } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const rulesDirectory = new URL("../src/rules/", import.meta.url);
const ruleFiles = readdirSync(rulesDirectory)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
  .map((file) => file.slice(0, -".ts".length))
  .sort();

describe("plugin exports", () => {
  it("is a valid plugin in the code-execution namespace", () => {
    expect(plugin.meta).toMatchObject({ name: "@modelaudit/detector-code-execution", namespace: "code-execution" });
    expect(plugin.apiVersion).toBe(API_VERSION);
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules under its file name", () => {
    expect(Object.keys(plugin.rules).sort()).toEqual(ruleFiles);
    expect(ruleFiles.length).toBeGreaterThan(0);
  });

  it("gives every rule a description, remediation, references and messages", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.description.length, name).toBeGreaterThan(20);
      expect(rule.meta.remediation.length, name).toBeGreaterThan(20);
      expect(rule.meta.remediation.includes("\n"), name).toBe(false);
      expect(rule.meta.references, name).toContain("CWE-502: Deserialization of Untrusted Data");
      expect(
        rule.meta.references.some((reference) => reference.startsWith("OWASP ML06")),
        name,
      ).toBe(true);
      expect(Object.keys(rule.meta.messages).length, name).toBeGreaterThan(0);
      expect(rule.meta.recommended, name).toBe(true);
      expect(rule.meta.confidence, name).toBeGreaterThan(0);
      expect(rule.meta.confidence, name).toBeLessThanOrEqual(1);
    }
  });

  it("declares on its detector exactly the rules it exports", () => {
    const declared = plugin.detectors.flatMap((detector) => [...detector.rules]).sort();
    expect(declared).toEqual(ruleFiles);
  });
});
