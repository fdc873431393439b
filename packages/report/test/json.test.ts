import { readFileSync } from "node:fs";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { toJson } from "../src/index.js";
import { asRemote, buildReports, REMOTE_COMMIT } from "./reports.js";

const schema = JSON.parse(readFileSync(new URL("../schema/report.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

let reports: Awaited<ReturnType<typeof buildReports>>;
beforeAll(async () => {
  reports = await buildReports();
});

describe("report.schema.json", () => {
  it("is a valid draft 2020-12 schema", () => {
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(["clean", "findings", "inconclusive", "error", "mixed", "skipped"] as const)(
    "validates the %s report",
    (name) => {
      const parsed = JSON.parse(toJson(reports[name]));
      const valid = validate(parsed);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it("rejects a report with an undocumented field (drift is caught)", () => {
    const parsed = JSON.parse(toJson(reports.findings));
    parsed.findings[0].extra = true;
    expect(validate(parsed)).toBe(false);
    const renamed = JSON.parse(toJson(reports.clean));
    renamed.summary.exitcode = renamed.summary.exitCode;
    delete renamed.summary.exitCode;
    expect(validate(renamed)).toBe(false);
  });

  it("documents every field of the Report type", () => {
    // Every key present in real reports must be a documented property of the schema.
    const documented = (node: Record<string, unknown>): string[] => Object.keys((node.properties as object) ?? {});
    const defs = schema.$defs as Record<string, Record<string, unknown>>;
    const parsed = JSON.parse(toJson(reports.mixed)) as Report;
    const remote = JSON.parse(toJson(asRemote(reports.findings), { compact: true })) as Report;
    expect(Object.keys(remote).sort()).toEqual(documented(schema).sort());
    expect(Object.keys(parsed).sort()).toEqual(
      documented(schema)
        .filter((key) => key !== "sources" && key !== "omitted")
        .sort(),
    );
    for (const source of remote.sources ?? []) expect(Object.keys(source)).toEqual(documented(defs.source!));
    for (const file of parsed.files) expect(documented(defs.file!)).toEqual(expect.arrayContaining(Object.keys(file)));
    const withSkipped = JSON.parse(toJson(reports.skipped)) as Report;
    expect(withSkipped.skipped.length).toBeGreaterThan(0);
    for (const entry of withSkipped.skipped) expect(Object.keys(entry)).toEqual(documented(defs.skipped!));
    expect(Object.keys(withSkipped.summary).sort()).toEqual(documented(defs.summary!).sort());
    for (const finding of JSON.parse(toJson(reports.findings)).findings) {
      expect(documented(defs.finding!)).toEqual(expect.arrayContaining(Object.keys(finding)));
    }
    expect(documented(defs.finding!)).toEqual(
      expect.arrayContaining(["ruleId", "severity", "confidence", "detector", "messageId", "message", "file"]),
    );
    expect(documented(defs.finding!)).toEqual(
      expect.arrayContaining(["memberChain", "location", "evidence", "remediation", "references"]),
    );
  });
});

describe("toJson", () => {
  it("records remote sources and the commit scanned between failOn and files; leaves them out for local scans", () => {
    const remote = asRemote(reports.findings);
    const parsed = JSON.parse(toJson(remote)) as Report;
    expect(validate(parsed)).toBe(true);
    expect(Object.keys(parsed).slice(5, 8)).toEqual(["failOn", "sources", "files"]);
    expect(parsed.sources).toEqual([
      {
        input: "hf://acme/model@main",
        kind: "huggingface",
        url: "https://huggingface.co/acme/model",
        revision: "main",
        commit: REMOTE_COMMIT,
      },
    ]);
    expect(parsed.files[0]!.path).toBe(`hf://acme/model@${REMOTE_COMMIT}/findings.test`);
    expect(Object.keys(JSON.parse(toJson(reports.findings)))).not.toContain("sources");
    // A commit that is not a full sha is not a pinned version: the schema refuses it.
    expect(validate({ ...parsed, sources: [{ ...parsed.sources![0]!, commit: "main" }] })).toBe(false);
  });

  it("lists the rules the scan ran, sorted, after the plugins (schema 2.4)", () => {
    const parsed = JSON.parse(toJson(reports.findings)) as Report;
    expect(Object.keys(parsed).slice(0, 4)).toEqual(["schemaVersion", "tool", "plugins", "rules"]);
    expect(parsed.rules!.length).toBeGreaterThan(0);
    expect(parsed.rules).toEqual([...parsed.rules!].sort());
    for (const finding of parsed.findings) expect(parsed.rules).toContain(finding.ruleId);
  });

  it("lists skipped inputs with why, sorted by path, after the checks and counted in the summary", () => {
    const parsed = JSON.parse(toJson(reports.skipped)) as Report;
    expect(parsed.schemaVersion).toBe("2.5.0");
    expect(Object.keys(parsed).slice(-3)).toEqual(["checks", "skipped", "summary"]);
    expect(parsed.skipped.map((entry) => [path.basename(entry.path), entry.reason])).toEqual([
      ["cache", 'ignored by pattern "cache"'],
      ["dangling.pkl", 'symbolic link to "gone.pkl", which does not exist (dangling link), not followed'],
      ["empty", "empty directory"],
      ["linked", expect.stringMatching(/^symbolic link to directory ".*cache", not followed$/)],
    ]);
    expect(parsed.summary.skipped).toBe(4);
    expect(parsed.files.map((file) => path.basename(file.path))).toEqual(["a-clean.test"]);
    expect(parsed.summary.exitCode).toBe(0);
  });

  it("writes references as structured values and rejects the old bare strings", () => {
    const parsed = JSON.parse(toJson(reports.findings));
    const bad = parsed.findings.find((finding: { ruleId: string }) => finding.ruleId === "test/bad-value");
    expect(bad.references).toEqual([
      {
        kind: "cwe",
        id: "CWE-502",
        title: "Deserialization of Untrusted Data",
        url: "https://cwe.mitre.org/data/definitions/502.html",
      },
      { kind: "url", title: "Toy advisory", url: "https://example.com/toy-advisory" },
    ]);
    expect(Object.keys(bad.references[0])).toEqual(["kind", "id", "title", "url"]);
    bad.references.push("CWE-502");
    expect(validate(parsed)).toBe(false);
  });

  it("rejects a skipped entry without a reason", () => {
    const parsed = JSON.parse(toJson(reports.skipped));
    delete parsed.skipped[0].reason;
    expect(validate(parsed)).toBe(false);
  });

  it("keeps the digests a scan asked for and the notes of checks, valid against the schema", () => {
    const report = structuredClone(reports.clean);
    const file = report.files[0]!;
    file.sha512 = "a".repeat(128);
    file.memberDigests = [
      { memberChain: ["a.zip", "w.bin"], size: 3, sha256: "b".repeat(64), sha512: "c".repeat(128) },
    ];
    report.checks[0]!.notes = ["signed by release@example.test (issuer https://accounts.example.test)"];
    const parsed = JSON.parse(toJson(report));
    expect(parsed.files[0].sha512).toBe(file.sha512);
    expect(parsed.files[0].memberDigests).toEqual(file.memberDigests);
    expect(parsed.checks[0].notes).toEqual(report.checks[0]!.notes);
    expect(validate(parsed)).toBe(true);
  });

  it("writes 2-space indented JSON with a trailing newline", () => {
    const text = toJson(reports.clean);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toMatch(/^ {2}"schemaVersion": "/);
  });

  it("writes keys in schema order whatever order the report object has", () => {
    const original = reports.findings;
    const shuffled = JSON.parse(JSON.stringify(original), function (this: unknown, _key, value) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).reverse());
    }) as Report;
    expect(toJson(shuffled)).toBe(toJson(original));
    const finding = JSON.parse(toJson(shuffled)).findings[0];
    expect(Object.keys(finding)).toEqual([
      "ruleId",
      "severity",
      "confidence",
      "detector",
      "messageId",
      "message",
      "file",
      "memberChain",
      "location",
      "evidence",
      "remediation",
      "references",
    ]);
  });

  it("orders files, findings and checks deterministically", () => {
    const original = reports.mixed;
    const reversed: Report = {
      ...original,
      files: [...original.files].reverse(),
      findings: [...original.findings].reverse(),
      checks: [...original.checks].reverse(),
    };
    expect(toJson(reversed)).toBe(toJson(original));
    const paths = JSON.parse(toJson(reversed)).files.map((file: { path: string }) => file.path);
    expect(paths).toEqual([...paths].sort());
  });

  it("compact: every file listed, only the checks of files that are not clean, the rest counted in omitted", () => {
    const full = JSON.parse(toJson(reports.mixed)) as Report;
    const compact = JSON.parse(toJson(reports.mixed, { compact: true })) as Report & { omitted: { checks: number } };
    expect(validate(compact)).toBe(true);
    expect(compact.files).toEqual(full.files);
    expect(compact.findings).toEqual(full.findings);
    const clean = new Set(full.files.filter((file) => file.outcome === "clean").map((file) => file.path));
    expect(clean.size).toBeGreaterThan(0);
    expect(compact.checks).toEqual(full.checks.filter((check) => !clean.has(check.file)));
    expect(compact.omitted.checks).toBe(full.checks.length - compact.checks.length);
    expect(compact.omitted.checks).toBeGreaterThan(0);
    expect(compact.summary).toEqual(full.summary);
    expect(Object.keys(compact).slice(-2)).toEqual(["omitted", "summary"]);
  });

  it("keeps what the engine found: findings with member chains, outcomes, exit codes", () => {
    const findings = JSON.parse(toJson(reports.findings)) as Report;
    expect(findings.summary.exitCode).toBe(1);
    expect(findings.findings.map((finding) => finding.ruleId)).toEqual(
      expect.arrayContaining(["test/bad-value", "test/odd-value"]),
    );
    expect(findings.findings.some((finding) => finding.memberChain.join(">") === "inner.bin")).toBe(true);
    expect(JSON.parse(toJson(reports.clean)).summary.exitCode).toBe(0);
    expect(JSON.parse(toJson(reports.inconclusive)).files[0].outcome).toBe("inconclusive");
    expect(JSON.parse(toJson(reports.error)).files[0].outcome).toBe("error");
    expect(JSON.parse(toJson(reports.error)).summary.exitCode).toBe(2);
  });
});
