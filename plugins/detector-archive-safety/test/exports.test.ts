import { validatePlugin } from "@modelaudit/core";
import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("has the expected top-level shape and passes the core contract check", () => {
    expect(plugin.meta).toEqual({
      name: "@modelaudit/detector-archive-safety",
      version: "0.0.0-test",
      namespace: "archive-safety",
    });
    expect(validatePlugin(plugin)).toEqual([]);
    expect(plugin.detectors.map((detector) => detector.id)).toEqual(["archive-safety"]);
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
      expect(Object.keys(rule.meta.messages).length, name).toBeGreaterThan(0);
    }
  });

  it("uses the severities the issue fixes for each rule id", () => {
    const severities = Object.fromEntries(
      Object.entries(plugin.rules).map(([name, rule]) => [name, rule.meta.severity]),
    );
    expect(severities).toEqual({
      "path-traversal": "critical",
      "link-escape": "critical",
      "decompression-bomb": "critical",
      "excessive-entries": "warning",
      "excessive-nesting": "warning",
      "duplicate-name": "warning",
      "header-mismatch": "warning",
    });
  });
});
