import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// tooling/fixtures/torchscript-resolver (generate_torchscript_resolver_fixtures.py): file operators spelled as
// torch.jit.load's resolver reads them (torch.autograd.*, ops.<ns>.autograd.*, local aliases), code members
// with NUL/\x01 bytes in comments, and lite-interpreter archives without code/. Built CLI, recommended preset.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "apps/cli/bin/modelaudit.js");
const FOLDER = path.join(ROOT, "tooling/fixtures/torchscript-resolver");

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  message: string;
}
interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: string | null;
  rules: string[];
}

describe("TorchScript spellings the loader resolves, through the CLI", () => {
  it("finds each attack by its rule and severity and reports nothing above info on the benign variants", async () => {
    const manifest: ManifestEntry[] = JSON.parse(readFileSync(path.join(FOLDER, "manifest.json"), "utf8"));
    const result = await promisify(execFile)(
      process.execPath,
      [CLI, "scan", FOLDER, "--format", "json", "--no-progress"],
      { maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout: string }) => error);
    const report = JSON.parse(result.stdout) as {
      findings: Finding[];
      files: { path: string; outcome: string }[];
    };
    const outcomes = new Map(report.files.map((file) => [path.basename(file.path), file.outcome]));
    for (const entry of manifest) {
      const findings = report.findings.filter((finding) => path.basename(finding.file) === entry.file);
      const summary = findings.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`).join("\n");
      if (entry.expect === "clean") {
        expect(outcomes.get(entry.file), entry.file).toMatch(/^(clean|findings)$/);
        expect(
          findings.filter((finding) => finding.severity !== "info"),
          `${entry.file}\n${summary}`,
        ).toEqual([]);
        continue;
      }
      for (const rule of entry.rules) {
        expect(
          findings.filter((finding) => finding.ruleId === rule).map((finding) => finding.severity),
          `${entry.file}\n${summary}`,
        ).toContain(entry.maxSeverity);
      }
    }
  }, 120_000);
});
