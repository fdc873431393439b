import type { Report } from "@modelaudit/core/engine";
import { describe, expect, it } from "vitest";
import { toJson, toText } from "../src/index.js";

const report: Report = {
  schemaVersion: "2.2.0",
  tool: { name: "modelaudit", version: "0.1.0" },
  plugins: [],
  level: "standard",
  failOn: "warning",
  files: [
    {
      path: "README.md",
      size: 10,
      formats: ["hf-model-card"],
      sha256: null,
      outcome: "clean",
      reasons: [],
      members: 0,
      durationMs: 1,
    },
  ],
  findings: [],
  checks: [
    {
      ruleId: "supply-chain/license",
      file: "README.md",
      status: "passed",
      findings: 0,
      notes: ["Apache-2.0 is declared by the model card as apache-2.0 (permissive)"],
    },
    { ruleId: "supply-chain/lineage", file: "README.md", status: "passed", findings: 0 },
  ],
  skipped: [],
  summary: {
    files: 1,
    bytes: 10,
    outcomes: { clean: 1, findings: 0, inconclusive: 0, error: 0 },
    findings: { critical: 0, warning: 0, info: 0 },
    checks: { passed: 2, failed: 0, skipped: 0 },
    skipped: 0,
    exitCode: 0,
    durationMs: 1,
  },
};

describe("check notes in the text report", () => {
  it("--verbose lists each check's notes under it", () => {
    expect(toText(report, { verbose: true }).split("\n").slice(0, 4)).toEqual([
      "README.md  [hf-model-card]  clean",
      "  check passed  supply-chain/license",
      "    note: Apache-2.0 is declared by the model card as apache-2.0 (permissive)",
      "  check passed  supply-chain/lineage",
    ]);
  });

  it("without --verbose a clean file stays one line", () => {
    expect(toText(report).split("\n")[0]).toBe("README.md  [hf-model-card]  clean");
    expect(toText(report)).not.toContain("note:");
  });
});

describe("check notes in the compact JSON report", () => {
  it("a clean file's noted checks stay listed; the others are counted", () => {
    const json = JSON.parse(toJson(report, { compact: true }));
    expect(json.checks.map((check: { ruleId: string }) => check.ruleId)).toEqual(["supply-chain/license"]);
    expect(json.omitted).toEqual({ checks: 1 });
  });
});

describe("findings counted but not listed", () => {
  const capped: Report = {
    ...report,
    files: [{ ...report.files[0]!, path: "bomb.zip", formats: ["zip"], outcome: "findings" }],
    findings: [
      {
        ruleId: "archive-safety/path-traversal",
        severity: "critical",
        confidence: 1,
        detector: "archive-safety",
        messageId: "traversal",
        message: "member ../a climbs out",
        file: "bomb.zip",
        memberChain: [],
        remediation: "Rebuild the archive.",
        references: [],
      },
    ],
    checks: [
      {
        ruleId: "archive-safety/path-traversal",
        file: "bomb.zip",
        status: "failed",
        findings: 4,
        notes: ["3 more critical findings of this rule in this file are counted here, not listed"],
      },
    ],
  };

  it("the text report says how many more a failed check counted than the report lists", () => {
    expect(toText(capped)).toContain("  + 3 more archive-safety/path-traversal findings, counted and not listed\n");
  });

  it("says nothing more when every finding is listed", () => {
    const listed = { ...capped, checks: [{ ...capped.checks[0]!, findings: 1, notes: [] }] };
    expect(toText(listed)).not.toContain("more archive-safety");
  });
});
