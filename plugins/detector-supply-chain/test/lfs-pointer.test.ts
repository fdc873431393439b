import { readFileSync } from "node:fs";
import { factsBytes, factsPlugin, scanBytes, scanPaths } from "@modelaudit/core/testing";
import huggingface from "@modelaudit/format-huggingface";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { encode, fixturePath, scanFacts, summary, withHandlers } from "./helpers.js";

const OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
const POINTER = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize 12345\n`;

describe("supply-chain/lfs-pointer", () => {
  it("a checkout without git lfs pull: the pointer fixture is a warning naming the missing object", async () => {
    const report = await scanPaths([fixturePath("checkout-without-lfs/model.safetensors")], [...withHandlers]);
    const real = readFileSync(fixturePath("pulled/model.safetensors"));
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: "supply-chain/lfs-pointer",
      severity: "warning",
      messageId: "lfsPointer",
      location: { line: 2 },
      memberChain: [],
    });
    expect(report.findings[0]!.message).toContain("this file is a Git LFS pointer, not the model");
    expect(report.findings[0]!.message).toContain(`${real.length} bytes`);
    expect(report.files[0]!.formats).toEqual(["git-lfs-pointer"]);
    expect(report.summary.exitCode).toBe(1);
  });

  const table: [string, string, string[]][] = [
    ["a canonical pointer named .bin", POINTER, ["supply-chain/lfs-pointer"]],
    [
      "a pointer with extension lines",
      `${POINTER.replace("oid", `ext-0-foo sha256:${OID}\noid`)}`,
      ["supply-chain/lfs-pointer"],
    ],
    ["a pointer with CRLF line endings (not one git-lfs writes)", POINTER.replaceAll("\n", "\r\n"), []],
    ["prose that quotes a pointer", `The file looks like:\n${POINTER}`, []],
  ];
  for (const [name, text, rules] of table) {
    it(`${name}: ${rules.length > 0 ? rules.join(", ") : "nothing"}`, async () => {
      const report = await scanBytes("pytorch_model.bin", encode(text), [...withHandlers]);
      expect(report.findings.map((finding) => finding.ruleId)).toEqual(rules);
    });
  }

  it("a pointer inside a container is reported with its member chain", async () => {
    const container = factsBytes({ children: [{ name: "repo/model.safetensors", text: POINTER }] });
    const report = await scanBytes("bundle.json", container, [plugin, factsPlugin, huggingface]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.memberChain])).toEqual([
      ["supply-chain/lfs-pointer", ["repo/model.safetensors"]],
    ]);
  });

  it("judges the fact convention, not the format: facts alone are enough, with or without a size", async () => {
    const report = await scanFacts([
      { kind: "reference", referenceKind: "path", key: "git-lfs", target: `sha256:${OID}` },
    ]);
    expect(summary(report)).toEqual([["supply-chain/lfs-pointer", "warning", "lfsPointer"]]);
    expect(report.findings[0]!.message).toContain("an unknown number of bytes");
  });

  it("other path references are not pointers", async () => {
    const report = await scanFacts([
      { kind: "reference", referenceKind: "path", key: "weights", target: `sha256:${OID}` },
      { kind: "reference", referenceKind: "url", key: "git-lfs", target: `sha256:${OID}` },
      { kind: "reference", referenceKind: "path", key: "git-lfs", target: "model.bin" },
    ]);
    expect(report.findings).toEqual([]);
  });
});
