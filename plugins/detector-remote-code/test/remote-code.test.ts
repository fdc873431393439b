import { readFileSync } from "node:fs";
import { API_VERSION, definePlugin, type ReferenceFact, validatePlugin } from "@modelaudit/core";
import { scanBytes, scanPaths } from "@modelaudit/core/testing";
// The Hugging Face handler, by path: a test-only dependency that keeps this package free of format knowledge.
import huggingface from "@modelaudit/format-huggingface";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

/** Test-only format: a `.refs` file is a JSON list of reference facts, emitted as they are. */
const referencesHandler = definePlugin({
  meta: { name: "test-references", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [
    {
      id: "test-references",
      description: "JSON list of reference facts",
      sniff: ({ extension }) => extension === ".refs",
      async parse(context) {
        const bytes = await context.source.read(0, context.source.size);
        for (const fact of JSON.parse(new TextDecoder().decode(bytes)) as ReferenceFact[]) context.emit(fact);
      },
    },
  ],
});

const scanReferences = (facts: Omit<ReferenceFact, "kind">[]) =>
  scanBytes(
    "model.refs",
    new TextEncoder().encode(JSON.stringify(facts.map((fact) => ({ kind: "reference", ...fact })))),
    [plugin, referencesHandler],
  );

describe("detector-remote-code", () => {
  it("is a valid plugin whose rules are every file in src/rules", () => {
    expect(validatePlugin(plugin)).toEqual([]);
    expect(Object.keys(plugin.rules).sort()).toEqual(["custom-code", "external-repository"]);
  });

  it("a repository reference is an external-repository warning", async () => {
    const report = await scanReferences([
      {
        target: "acme/hyena--modeling_hyena.Hyena",
        referenceKind: "repository",
        key: "auto_map.AutoModel",
        location: { path: "auto_map.AutoModel" },
      },
    ]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "remote-code/external-repository",
      severity: "warning",
      messageId: "externalRepository",
      message: "auto_map.AutoModel loads code from another repository: acme/hyena--modeling_hyena.Hyena",
      location: { path: "auto_map.AutoModel" },
      evidence: "acme/hyena--modeling_hyena.Hyena",
    });
    expect(report.files[0]!.outcome).toBe("findings");
  });

  it("a module reference is a custom-code info note, one per target", async () => {
    const report = await scanReferences([
      { target: "modeling_custom.Custom", referenceKind: "module", key: "auto_map.AutoModel" },
      { target: "modeling_custom.Custom", referenceKind: "module", key: "auto_map.AutoModel" },
      { target: "configuration_custom.Config", referenceKind: "module", key: "auto_map.AutoConfig" },
    ]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.severity, finding.message])).toEqual([
      ["remote-code/custom-code", "info", "auto_map.AutoConfig runs custom code: configuration_custom.Config"],
      ["remote-code/custom-code", "info", "auto_map.AutoModel runs custom code: modeling_custom.Custom"],
    ]);
  });

  it("path and url references are not its business", async () => {
    const report = await scanReferences([
      { target: "weights/model-00001.bin", referenceKind: "path" },
      { target: "https://example.com/x", referenceKind: "url" },
    ]);
    expect(report.findings).toEqual([]);
    expect(report.checks.map((check) => [check.ruleId, check.status]).sort()).toEqual([
      ["remote-code/custom-code", "passed"],
      ["remote-code/external-repository", "passed"],
    ]);
  });
});

describe("with the Hugging Face handlers over tooling/fixtures/huggingface", () => {
  const fixtures = new URL("../../../tooling/fixtures/huggingface/", import.meta.url);
  const manifest: { file: string; rules: string[] }[] = JSON.parse(
    readFileSync(new URL("manifest.json", fixtures), "utf8"),
  );
  for (const entry of manifest) {
    it(`${entry.file}`, async () => {
      const report = await scanPaths([new URL(entry.file, fixtures).pathname], [plugin, huggingface]);
      const ours = report.findings.filter((finding) => finding.ruleId.startsWith("remote-code/"));
      const expected = entry.rules.filter((rule) => rule.startsWith("remote-code/"));
      expect([...new Set(ours.map((finding) => finding.ruleId))]).toEqual(expected);
      expect(report.files[0]!.outcome).not.toBe("inconclusive");
      expect(report.files[0]!.outcome).not.toBe("error");
    });
  }
});
