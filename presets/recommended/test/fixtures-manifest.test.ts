import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { compareSeverity, type ScanLevel, type Severity } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { copyFixturesWithLinks, type FixtureLink, scanPaths } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";

// Every fixture made with the real libraries (tooling/fixtures/<family>/, see its README) carries an
// expected verdict in its manifest.json; this test holds the whole scanner to it.
const fixturesRoot = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

interface Expectation {
  file: string;
  expect: "clean" | "findings" | "inconclusive" | "any-not-crash";
  maxSeverity: Severity | null;
  rules: string[];
  /** Scan level the verdict needs (default: standard). */
  level?: ScanLevel;
  description?: string;
  /** Symbolic links to make before scanning (tooling/fixtures/linked-paths). */
  links?: FixtureLink[];
}

const families = existsSync(fixturesRoot)
  ? readdirSync(fixturesRoot).filter((name) => existsSync(path.join(fixturesRoot, name, "manifest.json")))
  : [];
it("finds the fixture families", () => {
  expect(families.length).toBeGreaterThanOrEqual(15);
});

describe.each(families)("fixtures: %s", (family) => {
  let directory = path.join(fixturesRoot, family);
  const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as Expectation[];
  const reports = new Map<ScanLevel, Report>();

  beforeAll(async () => {
    // Symbolic links the verdicts need are not committed: the family is scanned in a copy that has them.
    if (manifest.some((entry) => entry.links?.length)) directory = await copyFixturesWithLinks(directory);
    for (const level of new Set(manifest.map((entry) => entry.level ?? "standard"))) {
      const files = manifest.filter((entry) => (entry.level ?? "standard") === level);
      reports.set(
        level,
        await scanPaths(
          files.map((entry) => path.join(directory, entry.file)),
          [preset],
          { level },
        ),
      );
    }
  }, 120_000);
  afterAll(async () => {
    if (!directory.startsWith(fixturesRoot)) await rm(path.dirname(directory), { recursive: true, force: true });
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", (_name, entry) => {
    const absolute = path.join(directory, entry.file);
    const report = reports.get(entry.level ?? "standard") as Report;
    const file = report.files.find((candidate) => candidate.path === absolute);
    const findings = report.findings.filter((finding) => finding.file === absolute);
    const summary = findings.map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`);
    const context = `${entry.file} (${entry.description ?? ""})\nreasons: ${file?.reasons.join("; ")}\n${summary.join("\n")}`;
    expect(file, context).toBeDefined();
    expect(file?.outcome, context).not.toBe("error");
    const worst = findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;
    switch (entry.expect) {
      case "clean":
        expect(file?.reasons, context).toEqual([]);
        expect(worst === null || worst === "info", context).toBe(true);
        if (entry.maxSeverity === null) expect(findings, context).toEqual([]);
        break;
      case "findings":
        expect(worst, context).toBe(entry.maxSeverity);
        for (const rule of entry.rules) {
          expect(
            findings.map((finding) => finding.ruleId),
            context,
          ).toContain(rule);
        }
        break;
      case "inconclusive":
        expect(file?.outcome, context).toBe("inconclusive");
        expect(worst === null || worst === "info", context).toBe(true);
        break;
      case "any-not-crash":
        break;
    }
  });
});
