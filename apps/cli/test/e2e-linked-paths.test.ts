import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { copyFixturesWithLinks } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

// tooling/fixtures/linked-paths with the recommended preset: sharded indexes naming shards outside
// the folder, and ONNX data or shards reached through symbolic links (made here in a copy: none is
// committed). Each malicious folder fails on custom-ops/external-data-traversal; benign ones pass.
interface Entry {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: string | null;
  rules: string[];
}

let root: string;
let entries: Entry[] = [];
beforeAll(async () => {
  root = await copyFixturesWithLinks(path.resolve(import.meta.dirname, "../../../tooling/fixtures/linked-paths"));
  entries = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8"));
});
afterAll(async () => {
  await rm(path.dirname(root), { recursive: true, force: true });
});

describe("files that name other files by path", () => {
  it("each folder: the manifest's rule at its severity, or clean", async () => {
    expect(entries.length).toBe(20);
    for (const entry of entries) {
      const folder = path.dirname(entry.file);
      const result = await runCli(["scan", path.join(root, folder), "--format", "json", "--no-progress"]);
      const report = JSON.parse(result.stdout) as {
        files: { path: string; outcome: string }[];
        findings: { ruleId: string; severity: string; file: string; message: string; evidence?: string }[];
      };
      const scanned = report.files.find((file) => file.path === path.join(root, entry.file));
      const verdicts = report.findings
        .filter((finding) => finding.file === path.join(root, entry.file))
        .map((finding) => `${finding.severity} ${finding.ruleId}`);
      expect([folder, verdicts]).toEqual([folder, entry.rules.map((rule) => `${entry.maxSeverity} ${rule}`)]);
      expect([folder, scanned?.outcome]).toEqual([folder, entry.expect]);
      if (entry.expect === "clean") expect([folder, result.exitCode]).toEqual([folder, 0]);
      else expect([folder, result.exitCode]).toEqual([folder, 1]);
    }
  }, 120_000);
});
