import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compareSeverity, type Finding, type Plugin, type Severity } from "@modelaudit/core";
import { picklescanCorpus, scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import gguf from "@modelaudit/format-gguf";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";
import xgboost from "@modelaudit/format-xgboost";
import { beforeAll, describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The format handlers are dev dependencies only: the detector itself knows no format.
const FORMATS: Plugin[] = [pickle, safetensors, huggingface, gguf, archive, xgboost];
const fixturesRoot = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

interface Expectation {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: Severity | null;
  rules: string[];
}

async function loadFormats(): Promise<Plugin[]> {
  return FORMATS;
}

const worst = (findings: Finding[]): Severity | null =>
  findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;

describe("tooling/fixtures/network with the built format handlers", () => {
  const directory = path.join(fixturesRoot, "network");
  const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as Expectation[];
  let findings: Map<string, Finding[]>;

  beforeAll(async () => {
    const report = await scanPaths(
      manifest.map((entry) => path.join(directory, entry.file)),
      [...(await loadFormats()), plugin],
    );
    findings = new Map(
      manifest.map((entry) => [
        entry.file,
        report.findings.filter((finding) => finding.file === path.join(directory, entry.file)),
      ]),
    );
  }, 120_000);

  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", (_file, entry) => {
    const ours = findings.get(entry.file) ?? [];
    const summary = ours.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`).join("\n");
    if (entry.expect === "clean") {
      expect(worst(ours) === null || worst(ours) === "info", summary).toBe(true);
      if (entry.maxSeverity === null) expect(ours, summary).toEqual([]);
    } else {
      expect(worst(ours), summary).toBe(entry.maxSeverity);
      for (const rule of entry.rules)
        expect(
          ours.map((finding) => finding.ruleId),
          summary,
        ).toContain(rule);
    }
  });

  it("detects every malicious fixture and flags no benign one (the rates the issue note reports)", () => {
    const malicious = manifest.filter((entry) => entry.expect === "findings");
    const benign = manifest.filter((entry) => entry.expect === "clean");
    const detected = malicious.filter((entry) =>
      (findings.get(entry.file) ?? []).some((finding) => finding.severity !== "info"),
    );
    const falsePositives = benign.filter((entry) =>
      (findings.get(entry.file) ?? []).some((finding) => finding.severity !== "info"),
    );
    console.log(
      `network fixtures: detected ${detected.length}/${malicious.length} malicious, false positives ${falsePositives.length}/${benign.length} benign`,
    );
    expect(detected.length).toBe(malicious.length);
    expect(falsePositives).toEqual([]);
  });
});

describe("other fixture families: no network finding at warning or above where the manifest says clean", () => {
  const families = existsSync(fixturesRoot)
    ? readdirSync(fixturesRoot).filter(
        (name) => name !== "network" && existsSync(path.join(fixturesRoot, name, "manifest.json")),
      )
    : [];

  it.each(families)(
    "%s",
    async (family) => {
      const directory = path.join(fixturesRoot, family);
      const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as Expectation[];
      const clean = manifest.filter((entry) => entry.expect === "clean" || entry.maxSeverity === null);
      const report = await scanPaths(
        clean.map((entry) => path.join(directory, entry.file)),
        [...(await loadFormats()), plugin],
      );
      const noisy = report.findings
        .filter((finding) => {
          const entry = clean.find((candidate) => path.join(directory, candidate.file) === finding.file);
          return entry?.maxSeverity === null || finding.severity !== "info";
        })
        .map(
          (finding) =>
            `${path.relative(directory, finding.file)}: ${finding.severity} ${finding.ruleId} ${finding.message}`,
        );
      expect(noisy).toEqual([]);
    },
    120_000,
  );
});

const corpus = [picklescanCorpus() ?? ""].find((candidate) => existsSync(path.join(candidate, "labels.json")));

describe.skipIf(!corpus)("picklescan corpus, read in place", () => {
  it("gives no benign file a network finding at warning or above", async () => {
    const labels = JSON.parse(readFileSync(path.join(corpus!, "labels.json"), "utf8")) as Record<
      string,
      { verdict: string }
    >;
    const benign = Object.entries(labels)
      .filter(([, label]) => label.verdict === "benign")
      .map(([file]) => path.join(corpus!, file));
    expect(benign).toHaveLength(14);
    const report = await scanPaths(benign, [...(await loadFormats()), plugin]);
    expect(
      report.findings
        .filter((finding) => finding.severity !== "info")
        .map((finding) => `${finding.file}: ${finding.message}`),
    ).toEqual([]);
  }, 120_000);
});
