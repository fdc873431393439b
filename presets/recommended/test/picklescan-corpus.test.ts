import { readFileSync } from "node:fs";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { picklescanCorpus, scanPaths } from "@modelaudit/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";

// The public picklescan corpus (labels from picklescan's own tests), read in place: never copied.
// Looked up at MODELAUDIT_CORPUS, then beside the project checkout as the workspace lays it out.
const corpus = picklescanCorpus();
if (!corpus) console.warn("picklescan corpus not found (set MODELAUDIT_CORPUS): corpus test skipped");

type Label = "malicious" | "benign";

describe.skipIf(!corpus)("picklescan corpus", () => {
  const labels = corpus ? (JSON.parse(readFileSync(path.join(corpus, "labels.json"), "utf8")) as unknown) : {};
  const entries = normalizeLabels(labels);
  let report: Report;

  beforeAll(async () => {
    report = await scanPaths(
      entries.map(([file]) => path.join(corpus as string, file)),
      [preset],
    );
  }, 120_000);

  it("has the 95 malicious and 14 benign files the README promises", () => {
    expect(entries.filter(([, label]) => label === "malicious")).toHaveLength(95);
    expect(entries.filter(([, label]) => label === "benign")).toHaveLength(14);
  });

  it("fails every malicious file with a finding at warning or above", () => {
    const missed = entries
      .filter(([, label]) => label === "malicious")
      .map(([file]) => file)
      .filter((file) => !findingsFor(report, file).some((finding) => finding.severity !== "info"));
    expect(missed).toEqual([]);
  });

  it("gives no benign file a finding at warning or above", () => {
    const flagged = entries
      .filter(([, label]) => label === "benign")
      .flatMap(([file]) =>
        findingsFor(report, file)
          .filter((finding) => finding.severity !== "info")
          .map((finding) => `${file}: ${finding.ruleId} ${finding.message}`),
      );
    expect(flagged).toEqual([]);
  });

  it("never errors: every file is clean, has findings, or is inconclusive with a reason", () => {
    for (const file of report.files) {
      expect(file.outcome, file.path).not.toBe("error");
      if (file.outcome === "inconclusive") expect(file.reasons.length, file.path).toBeGreaterThan(0);
    }
  });
});

function findingsFor(report: Report, relative: string) {
  const absolute = path.join(corpus as string, relative);
  return report.findings.filter((finding) => finding.file === absolute);
}

/** labels.json maps each relative path to `{ verdict, category, note }`. */
function normalizeLabels(value: unknown): [string, Label][] {
  return Object.entries(value as Record<string, Label | { verdict: Label }>).map(([file, label]) => [
    file,
    typeof label === "string" ? label : label.verdict,
  ]);
}
