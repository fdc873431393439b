import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected top-level shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({ name: "@modelaudit/detector-binary", version: "0.0.0-test", namespace: "binary" });
    expect(validatePlugin(plugin)).toEqual([]);
    expect(plugin.detectors.map((detector) => [detector.id, detector.bytes])).toEqual([["binary", true]]);
    // The engine refuses to load it without the handlers that say what an executable is.
    expect(plugin.requires).toEqual(["@modelaudit/format-executable"]);
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
  });

  it("gives every rule a description, remediation, references, docs anchor and messages", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.description.length, name).toBeGreaterThan(20);
      expect(rule.meta.remediation.length, name).toBeGreaterThan(10);
      expect(rule.meta.references.length, name).toBeGreaterThan(0);
      expect(rule.meta.docs?.url, name).toMatch(new RegExp(`#${name}$`));
    }
    expect(plugin.rules["embedded-executable"]?.meta.severity).toBe("critical");
    expect(plugin.rules["extension-mismatch"]?.meta.severity).toBe("warning");
  });
});
