import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderReport, summaryLine, toText } from "../src/index.js";
import { asRemote, buildReports, REMOTE_COMMIT } from "./reports.js";

let reports: Awaited<ReturnType<typeof buildReports>>;
beforeAll(async () => {
  reports = await buildReports();
});

const ANSI = /\u001b\[[0-9;]*m/;

describe("toText", () => {
  it("groups findings under their file, worst first, with rule id, chain, location, evidence and fix", () => {
    const text = toText(reports.findings);
    const lines = text.split("\n");
    const file = reports.findings.files[0]!;
    expect(lines[0]).toBe(`${file.path}  [test-format]  findings`);
    const severities = lines.filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(/\s+/)[0]);
    expect(severities).toEqual(["critical", "critical", "warning"]);
    expect(text).toContain("critical test/bad-value  Found a bad value: nested BAD");
    expect(text).toContain("    in: inner.bin");
    expect(text).toContain("    at: offset 10, path lines[1], line 2");
    expect(text).toContain("    evidence: this is ");
    expect(text).toContain("    fix: Remove the BAD value.");
    expect(text).toContain("    see: CWE-502, https://example.com/toy-advisory");
    expect(lines.at(-2)).toBe("1 file: 0 clean, 1 with findings (2 critical, 1 warning), 0 inconclusive — exit 1");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("lists clean files on one line, reasons for inconclusive and error files, and the summary", () => {
    const text = toText(reports.mixed);
    const clean = reports.mixed.files.find((file) => file.path.endsWith("a-clean.test"))!;
    const lines = text.split("\n");
    const cleanLine = lines.findIndex((line) => line.startsWith(clean.path));
    expect(lines[cleanLine + 1]).toBe("");
    expect(lines[cleanLine + 2]).toMatch(/b-bad\.test {2}\[test-format\] {2}findings$/);
    const unknown = lines.findIndex((line) => line.endsWith("d-unknown.dat  [unrecognised]  clean"));
    expect(lines[unknown + 1]).toBe("");
    expect(text).toMatch(/c-broken\.test {2}\[test-format\] {2}inconclusive\n {2}! record at offset 5 is truncated/);
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "4 files: 2 clean, 1 with findings (1 critical, 0 warning), 1 inconclusive — exit 1",
    );
    const error = toText(reports.error);
    expect(error).toContain("error\n  ! path does not exist or cannot be read");
    expect(error).toContain("1 error — exit 2");
  });

  it("lists skipped inputs with why in a section before the summary, which counts them", () => {
    const text = toText(reports.skipped);
    const lines = text.trimEnd().split("\n");
    const section = lines.indexOf("skipped (4):");
    expect(section).toBeGreaterThan(0);
    const base = `${path.dirname(reports.skipped.files[0]!.path)}${path.sep}`;
    expect(lines.slice(section + 1, section + 5).map((line) => line.replaceAll(base, ""))).toEqual([
      '  - cache  ignored by pattern "cache"',
      '  - dangling.pkl  symbolic link to "gone.pkl", which does not exist (dangling link), not followed',
      "  - empty  empty directory",
      '  - linked  symbolic link to directory "cache", not followed',
    ]);
    expect(lines.at(-1)).toBe(
      "1 file: 1 clean, 0 with findings (0 critical, 0 warning), 0 inconclusive, 4 skipped — exit 0",
    );
    // Quiet keeps the count in the summary but not the list.
    const quiet = toText(reports.skipped, { quiet: true });
    expect(quiet).not.toContain("skipped (4):");
    expect(quiet).toContain("4 skipped — exit 0");
    // Reports without skipped entries look as they always did.
    expect(toText(reports.mixed)).not.toContain("skipped");
  });

  it("still renders a report stored before schema 1.1, which has no skipped list", () => {
    const { skipped: _list, ...rest } = reports.mixed;
    const { skipped: _count, ...summary } = reports.mixed.summary;
    const older = { ...rest, summary } as unknown as typeof reports.mixed;
    expect(toText(older)).toBe(toText(reports.mixed));
    expect(JSON.parse(renderReport(older, "json")).skipped).toEqual([]);
    expect(JSON.parse(renderReport(older, "sarif")).runs[0].invocations[0].toolExecutionNotifications).toHaveLength(1);
  });

  it("escapes control characters from hostile files so they cannot drive the terminal", () => {
    const text = toText(reports.mixed);
    expect(text).toContain("Found a bad value: BAD\\x1b[31m");
    expect(ANSI.test(text)).toBe(false);
  });

  it("colours severities only when asked", () => {
    expect(ANSI.test(toText(reports.findings))).toBe(false);
    const colored = toText(reports.findings, { color: true });
    expect(colored).toContain("\u001b[31m"); // critical in red
    expect(colored).toContain("\u001b[33m"); // warning in yellow
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(toText(reports.findings));
  });

  it("quiet leaves out clean files; verbose adds every check", () => {
    const quiet = toText(reports.mixed, { quiet: true });
    expect(quiet).not.toMatch(/a-clean\.test/);
    expect(quiet).toMatch(/b-bad\.test/);
    expect(quiet).toMatch(/c-broken\.test/);
    const verbose = toText(reports.mixed, { verbose: true });
    expect(verbose).toContain("check failed  test/bad-value (1)");
    expect(verbose).toContain("check passed  test/odd-value");
    expect(verbose).toContain("check skipped test/bad-value (nothing to check");
    expect(toText(reports.mixed)).not.toContain("check ");
  });

  it("summaryLine counts info findings only when there are some", () => {
    const withInfo = {
      ...reports.findings,
      summary: { ...reports.findings.summary, findings: { critical: 0, warning: 0, info: 2 } },
    };
    expect(summaryLine(withInfo)).toContain("(0 critical, 0 warning, 2 info)");
    expect(summaryLine(reports.clean)).toBe(
      "1 file: 1 clean, 0 with findings (0 critical, 0 warning), 0 inconclusive — exit 0",
    );
  });

  it("renderReport dispatches on the format", () => {
    expect(renderReport(reports.clean, "text")).toBe(toText(reports.clean));
    expect(JSON.parse(renderReport(reports.clean, "json")).schemaVersion).toBe(reports.clean.schemaVersion);
    expect(JSON.parse(renderReport(reports.clean, "sarif")).version).toBe("2.1.0");
  });
});

describe("remote sources", () => {
  it("opens with each source and the commit scanned, and names files by URI", () => {
    const lines = toText(asRemote(reports.findings)).split("\n");
    expect(lines[0]).toBe(`source hf://acme/model@main  commit ${REMOTE_COMMIT}`);
    expect(lines[1]).toBe("");
    expect(lines[2]).toBe(`hf://acme/model@${REMOTE_COMMIT}/findings.test  [test-format]  findings`);
    expect(toText(reports.findings).startsWith("source")).toBe(false);
  });
});
