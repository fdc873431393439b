import { checkPluginExports } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

describe("plugin exports", () => {
  it("is @modelaudit/detector-supply-chain under the supply-chain namespace", () => {
    expect(plugin.meta).toMatchObject({ name: "@modelaudit/detector-supply-chain", namespace: "supply-chain" });
  });

  it("exports every file in src/rules as a rule under its file name, declared by its detector", () => {
    expect(checkPluginExports(plugin, new URL("../src/rules/", import.meta.url))).toEqual([]);
    expect(Object.keys(plugin.rules).sort()).toEqual([
      "hash-mismatch",
      "known-malicious-hash",
      "known-malicious-near-copy",
      "lfs-pointer",
      "license",
      "license-policy",
      "lineage",
      "lookalike-repository",
      "missing-license",
      "provenance",
      "signature",
      "unpinned-revision",
      "untrusted-source",
    ]);
  });

  it("every message placeholder is one the detector fills", () => {
    const filled = new Set([
      ...["oid", "size", "sha256", "reason", "pattern", "expected", "actual", "what", "source"],
      ...["repository", "target", "how", "revision", "url", "license", "spdx", "category", "folder"],
      ...["kind", "signature", "signer", "score", "base"],
    ]);
    for (const rule of Object.values(plugin.rules)) {
      for (const template of Object.values(rule.meta.messages)) {
        for (const [, name] of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) expect(filled).toContain(name);
      }
    }
  });
});
