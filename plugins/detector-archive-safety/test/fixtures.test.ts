import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { testHandlers } from "./support/test-handlers.js";

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: "info" | "warning" | "critical" | null;
  rules: string[];
}

const directory = new URL("../../../tooling/fixtures/archives/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8")) as ManifestEntry[];
/** The test handlers read zip and tar; bare xz/bzip2 streams need plugins/format-archive (see rules.test.ts). */
const readable = manifest.filter((entry) => /\.(zip|tar)$/.test(entry.file));

describe("archive fixtures (real zip/tar files, read by the test-only handlers)", () => {
  it("covers most of the manifest", () => {
    expect(readable.length).toBeGreaterThan(20);
  });

  it.each(readable.map((entry) => [entry.file, entry] as const))("%s", async (_file, entry) => {
    const report = await scanPaths([fileURLToPath(new URL(entry.file, directory))], [plugin, testHandlers]);
    const ours = report.findings.filter((finding) => finding.ruleId.startsWith("archive-safety/"));
    const expected = entry.rules.filter((rule) => rule.startsWith("archive-safety/"));
    expect([...new Set(ours.map((finding) => finding.ruleId))].sort()).toEqual(expected.sort());
    if (expected.length > 0 && entry.maxSeverity) {
      expect(ours.some((finding) => finding.severity === entry.maxSeverity)).toBe(true);
    }
    if (entry.expect === "clean") expect(report.files[0]?.outcome).toBe("clean");
  });
});

// tooling/fixtures/benign-realism: tars whose last member is a stored zip (a torch.save checkpoint, a
// zip backup) are zips with prepended data too; each reading keeps its own member names.
const realism = new URL("../../../tooling/fixtures/benign-realism/torch/", import.meta.url);

describe("a tar that is also a zip (benign-realism, real torch.save and tarfile)", () => {
  it.each(["model_pt.tar", "run_with_backup_zip.tar"])("%s: both readings, no duplicate-name", async (file) => {
    const report = await scanPaths([fileURLToPath(new URL(file, realism))], [plugin, testHandlers]);
    expect(report.files[0]?.formats).toEqual(expect.arrayContaining(["tar", "zip"]));
    expect(report.findings.filter((finding) => finding.ruleId.startsWith("archive-safety/"))).toEqual([]);
  });

  it("duplicate_names_ending_in_zip.tar: the tar's own pair is one duplicate-name; the zip reading's name is not another", async () => {
    const report = await scanPaths(
      [fileURLToPath(new URL("duplicate_names_ending_in_zip.tar", directory))],
      [plugin, testHandlers],
    );
    expect(report.files[0]?.formats).toEqual(expect.arrayContaining(["tar", "zip"]));
    const duplicates = report.findings.filter((finding) => finding.ruleId === "archive-safety/duplicate-name");
    expect(duplicates.map((finding) => [finding.memberChain, finding.message])).toEqual([
      [[], "member name config.json appears more than once (first as config.json)"],
    ]);
  });
});
