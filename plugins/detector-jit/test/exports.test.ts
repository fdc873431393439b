import { readdirSync } from "node:fs";
import { validatePlugin } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is a valid plugin under the jit namespace", () => {
    expect(plugin.meta.name).toBe("@modelaudit/detector-jit");
    expect(plugin.meta.namespace).toBe("jit");
    expect(validatePlugin(plugin)).toEqual([]);
  });

  it("exports every file in src/rules under its file name, and nothing else", () => {
    const files = readdirSync(new URL("../src/rules/", import.meta.url))
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .map((name) => name.slice(0, -3))
      .sort();
    expect(Object.keys(plugin.rules).sort()).toEqual(files);
    for (const detector of plugin.detectors) expect([...detector.rules].sort()).toEqual(files);
  });

  it("gives every rule a description, remediation, references and messages", () => {
    for (const rule of Object.values(plugin.rules)) {
      expect(rule.meta.description.length).toBeGreaterThan(20);
      expect(rule.meta.remediation.length).toBeGreaterThan(10);
      expect(rule.meta.references.length).toBeGreaterThan(0);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    }
  });
});
