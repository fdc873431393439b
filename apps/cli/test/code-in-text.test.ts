import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// Issue 12 parts 2-4 end to end: the built CLI with the recommended preset over tooling/fixtures/code-in-text
// (code in text values, Jinja everywhere, TorchScript operators) and the real chat templates of tooling/fixtures/templates.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "apps/cli/bin/modelaudit.js");
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  message: string;
}
interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive";
  maxSeverity: string | null;
  rules: string[];
}

async function scan(target: string): Promise<{ findings: Finding[]; files: { path: string; outcome: string }[] }> {
  const result = await promisify(execFile)(
    process.execPath,
    [CLI, "scan", target, "--format", "json", "--no-progress"],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout: string }) => error);
  return JSON.parse(result.stdout);
}

function worst(findings: Finding[]): string | null {
  return findings.map((finding) => finding.severity).sort((a, b) => SEVERITY_RANK[a]! - SEVERITY_RANK[b]!)[0] ?? null;
}

describe("code in text, Jinja everywhere and TorchScript operators through the CLI (recommended preset)", () => {
  it("catches every malicious fixture with its rule and leaves the benign ones below warning", async () => {
    const folder = path.join(ROOT, "tooling/fixtures/code-in-text");
    const manifest: ManifestEntry[] = JSON.parse(readFileSync(path.join(folder, "manifest.json"), "utf8"));
    const report = await scan(folder);
    const byFile = new Map<string, Finding[]>();
    for (const finding of report.findings) {
      const relative = path.relative(folder, finding.file).split(path.sep).join("/");
      byFile.set(relative, [...(byFile.get(relative) ?? []), finding]);
    }
    const outcomes = new Map(
      report.files.map((file) => [path.relative(folder, file.path).split(path.sep).join("/"), file.outcome]),
    );
    const counts = { malicious: 0, detected: 0, benign: 0, flagged: 0 };
    for (const entry of manifest) {
      const findings = byFile.get(entry.file) ?? [];
      // A benign file read to the end is clean (info notes at most), never inconclusive.
      if (entry.expect === "clean") expect(outcomes.get(entry.file), entry.file).toMatch(/^(clean|findings)$/);
      if (entry.expect === "inconclusive") expect(outcomes.get(entry.file), entry.file).toBe("inconclusive");
      const summary = findings.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`).join("\n");
      const flagged = findings.some((finding) => finding.severity !== "info");
      if (entry.expect === "findings") {
        counts.malicious++;
        if (flagged) counts.detected++;
        expect(worst(findings), `${entry.file}\n${summary}`).toBe(entry.maxSeverity);
        for (const rule of entry.rules)
          expect(
            findings.map((finding) => finding.ruleId),
            entry.file,
          ).toContain(rule);
      } else {
        counts.benign++;
        if (flagged) counts.flagged++;
        expect(flagged, `${entry.file}\n${summary}`).toBe(false);
      }
    }
    console.log(
      `code-in-text fixtures: detected ${counts.detected}/${counts.malicious} malicious, ` +
        `flagged ${counts.flagged}/${counts.benign} benign (warning or above)`,
    );
    expect(counts.detected).toBe(counts.malicious);
  }, 120_000);

  it("Keras references and code are judged once each: references by code-execution, code text by jit", async () => {
    // A `module`/`registered_name`/function reference is an import Keras performs (code-execution judges it
    // against the globals policy); Lambda source and strings handed to the function are code (jit judges
    // them). Neither is reported twice, and neither detector reports the other's part.
    const folder = path.join(ROOT, "tooling/fixtures/code-in-text");
    const manifest: ManifestEntry[] = JSON.parse(readFileSync(path.join(folder, "manifest.json"), "utf8"));
    const keras = manifest.filter((entry) => /^keras[23]_/.test(entry.file));
    expect(keras.length).toBeGreaterThanOrEqual(5);
    for (const entry of keras) {
      const report = await scan(path.join(folder, entry.file));
      const flagged = report.findings.filter((finding) => finding.severity !== "info").map((finding) => finding.ruleId);
      expect(flagged.sort(), entry.file).toEqual([...entry.rules].sort());
    }
  }, 120_000);

  it("real chat templates of popular families scan clean, the malicious ones are caught", async () => {
    const folder = path.join(ROOT, "tooling/fixtures/templates");
    const manifest: ManifestEntry[] = JSON.parse(readFileSync(path.join(folder, "manifest.json"), "utf8"));
    const report = await scan(folder);
    for (const entry of manifest) {
      const findings = report.findings.filter((finding) => path.basename(finding.file) === entry.file);
      if (entry.expect === "clean") expect(findings.filter((finding) => finding.severity !== "info")).toEqual([]);
      else expect(worst(findings), entry.file).toBe(entry.maxSeverity);
    }
  }, 120_000);
});
