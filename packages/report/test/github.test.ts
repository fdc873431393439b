import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeData, escapeProperty, renderReport, toGithub } from "../src/index.js";
import { buildReports } from "./reports.js";

let reports: Awaited<ReturnType<typeof buildReports>>;
beforeAll(async () => {
  reports = await buildReports();
});

const baseOf = (report: Report) => path.dirname(report.files[0]!.path);
const commands = (text: string) => text.split("\n").filter((line) => line.startsWith("::"));

describe("github format (workflow commands)", () => {
  it("writes one annotation per finding with file, line and title, then the summary", () => {
    const report = reports.findings;
    const output = toGithub(report, { baseDirectory: baseOf(report) });
    const lines = commands(output);
    expect(lines).toHaveLength(report.findings.length);
    const top = report.findings.find(
      (finding) => finding.ruleId === "test/bad-value" && finding.memberChain.length === 0,
    )!;
    expect(lines).toContain(
      `::${top.severity === "critical" ? "error" : top.severity === "warning" ? "warning" : "notice"} file=findings.test,line=${top.location!.line},title=test/bad-value (${top.severity})::${escapeData(`${top.message} (at offset ${top.location!.offset}, path ${top.location!.path}, line ${top.location!.line})\nevidence: ${top.evidence}\nfix: ${top.remediation}`)}`,
    );
    // A member's line is not a line of the file: no line property, the chain is in the message.
    const nested = lines.find((line) => line.includes("inner.bin"))!;
    expect(nested).toMatch(/^::\w+ file=findings\.test,title=/);
    expect(output.trimEnd().split("\n").at(-1)).toMatch(/^1 file: .* — exit 1$/);
    expect(renderReport(report, "github", { baseDirectory: baseOf(report) })).toBe(output);
  });

  it("maps severities to error, warning and notice", () => {
    const report: Report = JSON.parse(JSON.stringify(reports.findings));
    const severities = ["critical", "warning", "info"] as const;
    report.findings = severities.map((severity) => ({ ...report.findings[0]!, severity }));
    const lines = commands(toGithub(report, { baseDirectory: baseOf(report) }));
    expect(lines.map((line) => line.slice(2, line.indexOf(" ")))).toEqual(["error", "warning", "notice"]);
  });

  it("warns about inconclusive and failed files, and notes skipped inputs", () => {
    const inconclusive = commands(toGithub(reports.inconclusive, { baseDirectory: baseOf(reports.inconclusive) }));
    expect(inconclusive).toEqual([
      expect.stringMatching(/^::warning file=broken\.test,title=modelaudit%3A inconclusive::inconclusive: /),
    ]);
    const error = commands(toGithub(reports.error, { baseDirectory: "/" }));
    expect(error[0]).toMatch(/^::error file=.*nope\.test,title=modelaudit%3A error::error: /);
    const skipped = commands(toGithub(reports.skipped, { baseDirectory: baseOf(reports.skipped) }));
    expect(skipped.some((line) => line.startsWith("::notice file=cache,title=modelaudit%3A skipped::"))).toBe(true);
  });

  it("escapes values so a hostile file name or message cannot end the command or start another", () => {
    expect(escapeData("50%\r\n::error::x")).toBe("50%25%0D%0A::error::x");
    expect(escapeProperty("a,b:c%\n")).toBe("a%2Cb%3Ac%25%0A");
    const report: Report = JSON.parse(JSON.stringify(reports.findings));
    const base = baseOf(report);
    for (const finding of report.findings) {
      finding.file = path.join(base, "evil,line=1::\n::error file=x::pwned\u001b[31m.pt");
      finding.message = "boom\n::error::injected";
    }
    const output = toGithub(report, { baseDirectory: base });
    for (const line of output.split("\n")) {
      if (line.startsWith("::")) {
        expect(line).toMatch(
          /^::(error|warning|notice) file=evil%2Cline=1%3A%3A%0A%3A%3Aerror file=x%3A%3Apwned\?\[31m\.pt,/,
        );
      } else if (line !== "") {
        expect(line).not.toMatch(/^::/);
      }
    }
    expect(output).not.toContain("\u001b");
  });
});
