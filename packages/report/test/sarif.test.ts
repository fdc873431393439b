import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactLocationFor, FINGERPRINT_KEY, type SarifLog, toSarif, toSarifLog } from "../src/index.js";
import { asRemote, buildReports, REMOTE_COMMIT } from "./reports.js";
import { testPlugin } from "./test-plugin.js";

let reports: Awaited<ReturnType<typeof buildReports>>;
beforeAll(async () => {
  reports = await buildReports();
});

const rulesOf = () =>
  new Map(Object.entries(testPlugin.rules).map(([name, rule]) => [`test/${name}`, { meta: rule.meta }] as const));

/** The SARIF 2.1.0 required properties and enums, checked by hand (the official schema is not vendored). */
function assertValidSarif(log: SarifLog): void {
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  const driver = run.tool.driver;
  expect(driver.name).toBe("ModelAudit-TS");
  expect(typeof driver.version).toBe("string");
  const ids = driver.rules.map((rule) => rule.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of driver.rules) {
    expect(rule.id).toMatch(/^[^/]+\/[^/]+$/);
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(rule.help.text.length).toBeGreaterThan(0);
    expect(["9.0", "6.0", "2.0"]).toContain(rule.properties["security-severity"]);
    expect(Number.isFinite(Number(rule.properties["security-severity"]))).toBe(true);
  }
  for (const result of run.results) {
    expect(ids).toContain(result.ruleId);
    expect(driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(["error", "warning", "note", "none"]).toContain(result.level);
    expect(result.message.text.length).toBeGreaterThan(0);
    expect(result.locations.length).toBeGreaterThan(0);
    for (const location of result.locations) {
      const uri = location.physicalLocation.artifactLocation.uri;
      expect(uri).not.toContain("\\");
      expect(() => new URL(uri, "file:///root/")).not.toThrow();
      if (location.physicalLocation.region) {
        expect(location.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      }
    }
    for (const value of Object.values(result.partialFingerprints)) expect(typeof value).toBe("string");
  }
  for (const invocation of run.invocations) {
    expect(typeof invocation.executionSuccessful).toBe("boolean");
    for (const notification of invocation.toolExecutionNotifications) {
      expect(["error", "warning", "note", "none"]).toContain(notification.level);
      expect(notification.message.text.length).toBeGreaterThan(0);
    }
  }
}

const baseOf = (report: Report) => path.dirname(report.files[0]!.path);

describe("toSarif", () => {
  it("writes one run with the driver, a rule per rule id with a finding, and results pointing at them", () => {
    const report = reports.findings;
    const log = JSON.parse(toSarif(report, { baseDirectory: baseOf(report), rules: rulesOf() })) as SarifLog;
    assertValidSarif(log);
    const run = log.runs[0]!;
    expect(run.tool.driver.version).toBe(report.tool.version);
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(["test/bad-value", "test/odd-value"]);
    const [bad, odd] = run.tool.driver.rules;
    expect(bad!.shortDescription.text).toBe("A value marked BAD");
    expect(bad!.help.text).toContain("Remove the BAD value.");
    expect(bad!.helpUri).toBe("https://example.test/rules#bad-value");
    expect(bad!.properties["security-severity"]).toBe("9.0");
    expect(odd!.properties["security-severity"]).toBe("6.0");
    expect(run.results).toHaveLength(report.findings.length);
    expect(run.results.map((result) => result.level).sort()).toEqual(["error", "error", "warning"]);
    for (const result of run.results) {
      expect(result.locations[0]!.physicalLocation.artifactLocation).toEqual({
        uri: "findings.test",
        uriBaseId: "%SRCROOT%",
      });
    }
  });

  it("links a rule's references: help lists them, tags name the catalogued ones, helpUri falls back to the first", () => {
    const withDocs = toSarifLog(reports.findings, { baseDirectory: baseOf(reports.findings), rules: rulesOf() });
    const bad = withDocs.runs[0]!.tool.driver.rules.find((rule) => rule.id === "test/bad-value")!;
    expect(bad.helpUri).toBe("https://example.test/rules#bad-value");
    expect(bad.properties.tags).toEqual(["security", "external/cwe/cwe-502"]);
    expect(bad.help.text).toContain("References: CWE-502, https://example.com/toy-advisory");
    expect(bad.help.markdown).toContain(
      "- [CWE-502 Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)\n- [Toy advisory](https://example.com/toy-advisory)",
    );
    const result = withDocs.runs[0]!.results.find((entry) => entry.ruleId === "test/bad-value")!;
    expect(result.properties.references).toEqual([
      {
        kind: "cwe",
        id: "CWE-502",
        title: "Deserialization of Untrusted Data",
        url: "https://cwe.mitre.org/data/definitions/502.html",
      },
      { kind: "url", url: "https://example.com/toy-advisory", title: "Toy advisory" },
    ]);

    // Without the registry's docs links, the rule's page is the first thing it cites.
    const rules = toSarifLog(reports.findings, { baseDirectory: baseOf(reports.findings) }).runs[0]!.tool.driver.rules;
    expect(rules.find((rule) => rule.id === "test/bad-value")!.helpUri).toBe(
      "https://cwe.mitre.org/data/definitions/502.html",
    );
    // A rule that cites nothing gets no link and no tags beyond `security`.
    const odd = rules.find((rule) => rule.id === "test/odd-value")!;
    expect(odd.helpUri).toBeUndefined();
    expect(odd.properties.tags).toEqual(["security"]);
  });

  it("gives members a logical location with the chain, and top-level lines a region", () => {
    const report = reports.findings;
    const run = toSarifLog(report, { baseDirectory: baseOf(report) }).runs[0]!;
    const nested = run.results.find((result) => result.locations[0]!.logicalLocations);
    expect(nested!.locations[0]!.logicalLocations).toEqual([
      { name: "inner.bin", fullyQualifiedName: "inner.bin", kind: "member" },
    ]);
    expect(nested!.locations[0]!.physicalLocation.region).toBeUndefined();
    const topLevel = run.results.find(
      (result) => result.ruleId === "test/bad-value" && !result.locations[0]!.logicalLocations,
    );
    const offset = report.findings.find(
      (finding) => finding.ruleId === "test/bad-value" && finding.memberChain.length === 0,
    )!.location!.offset!;
    expect(topLevel!.locations[0]!.physicalLocation.region).toEqual({ startLine: 2, byteOffset: offset });
  });

  it("carries a top-level byte offset as region.byteOffset, with line 1 when no line is known", () => {
    const report: Report = JSON.parse(JSON.stringify(reports.findings));
    const finding = report.findings.find((entry) => entry.memberChain.length === 0)!;
    finding.location = { offset: 1234, opcode: "GLOBAL" };
    const nested = report.findings.find((entry) => entry.memberChain.length > 0)!;
    nested.location = { offset: 99 };
    const run = toSarifLog(report, { baseDirectory: baseOf(report) }).runs[0]!;
    const index = report.findings.indexOf(finding);
    expect(run.results[index]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, byteOffset: 1234 });
    // Inside a member the offset counts from the member's start: no region on the top-level file.
    const nestedResult = run.results[report.findings.indexOf(nested)]!;
    expect(nestedResult.locations[0]!.physicalLocation.region).toBeUndefined();
    expect(nestedResult.properties.location).toEqual({ offset: 99 });
  });

  it("fingerprints are stable across runs and machines and differ between findings", () => {
    const report = reports.findings;
    const first = toSarifLog(report, { baseDirectory: baseOf(report) }).runs[0]!.results;
    const moved: Report = JSON.parse(JSON.stringify(report).replaceAll(baseOf(report), "/elsewhere/checkout"));
    const second = toSarifLog(moved, { baseDirectory: "/elsewhere/checkout" }).runs[0]!.results;
    const prints = first.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    expect(second.map((result) => result.partialFingerprints[FINGERPRINT_KEY])).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
    for (const print of prints) expect(print).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports inconclusive and missing files as tool notifications, not results", () => {
    const run = toSarifLog(reports.mixed).runs[0]!;
    assertValidSarif({ ...toSarifLog(reports.mixed) });
    const notes = run.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((note) => note.message.text)).toEqual([
      expect.stringContaining("record at offset 5 is truncated"),
    ]);
    const error = toSarifLog(reports.error).runs[0]!;
    expect(error.results).toEqual([]);
    expect(error.tool.driver.rules).toEqual([]);
    expect(error.invocations[0]!.toolExecutionNotifications[0]!.level).toBe("error");
    expect(error.invocations[0]!.exitCode).toBe(2);
  });

  it("reports skipped inputs as notes, each at its path, and no results", () => {
    const log = toSarifLog(reports.skipped);
    assertValidSarif(log);
    const run = log.runs[0]!;
    expect(run.results).toEqual([]);
    const base = path.dirname(reports.skipped.files[0]!.path);
    const notes = toSarifLog(reports.skipped, { baseDirectory: base }).runs[0]!.invocations[0]!
      .toolExecutionNotifications;
    expect(
      notes.map((note) => [note.level, note.descriptor.id, note.locations[0]!.physicalLocation.artifactLocation.uri]),
    ).toEqual([
      ["note", "modelaudit/skipped", "cache"],
      ["note", "modelaudit/skipped", "dangling.pkl"],
      ["note", "modelaudit/skipped", "empty"],
      ["note", "modelaudit/skipped", "linked"],
    ]);
    expect(notes[0]!.message.text).toBe('skipped: ignored by pattern "cache"');
    expect(run.invocations[0]!.exitCode).toBe(0);
  });

  it("makes URIs relative with forward slashes under the base, absolute file URIs outside it", () => {
    expect(artifactLocationFor(path.join("/repo", "models", "a b#1.pt"), "/repo")).toEqual({
      uri: "models/a%20b%231.pt",
      uriBaseId: "%SRCROOT%",
    });
    expect(artifactLocationFor("models/x.pkl", "/repo").uri).toBe("models/x.pkl");
    expect(artifactLocationFor("/other/x.pkl", "/repo").uri).toBe("file:///other/x.pkl");
    expect(artifactLocationFor("..data/x.pkl", "/repo").uri).toBe("..data/x.pkl");
  });
});

describe("remote sources", () => {
  it("names files by their URI, and records the commit as version-control provenance", () => {
    const log = toSarifLog(asRemote(reports.findings), { rules: rulesOf() });
    assertValidSarif(log);
    const run = log.runs[0]!;
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: "https://huggingface.co/acme/model", revisionId: REMOTE_COMMIT, branch: "main" },
    ]);
    const uri = run.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(uri).toEqual({ uri: `hf://acme/model@${REMOTE_COMMIT}/findings.test` });
    expect(run.properties.sources).toEqual(asRemote(reports.findings).sources);
    expect(toSarifLog(reports.findings).runs[0]!.versionControlProvenance).toBeUndefined();
    expect(artifactLocationFor("https://example.com/m.pt", "/work")).toEqual({ uri: "https://example.com/m.pt" });
  });
});
