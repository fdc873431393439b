import { compareSeverity, type Finding, type Severity } from "@modelaudit/core";
import type { FileEntry, Report } from "@modelaudit/core/engine";
import { createColors } from "picocolors";
import { describeLocation, describeMemberChain } from "./describe-location.js";
import { skippedOf } from "./json.js";
import { shortReference } from "./references.js";

export interface TextOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, FORCE_COLOR). Default false. */
  color?: boolean;
  /** Also list every check per file. */
  verbose?: boolean;
  /** Only files with findings or problems, then the summary. */
  quiet?: boolean;
}

type Colors = ReturnType<typeof createColors>;

/** The report for people: one block per file, findings by severity, a one-line summary at the end. */
export function toText(report: Report, options: TextOptions = {}): string {
  const colors = createColors(options.color ?? false);
  const findingsByFile = groupBy(report.findings, (finding) => finding.file);
  const checksByFile = groupBy(report.checks, (check) => check.file);
  const lines: string[] = [];

  // What was downloaded, and at which commit: the report stays true after the branch moves on.
  for (const source of report.sources ?? []) {
    const at = source.commit !== undefined ? `  ${colors.dim("commit")} ${printable(source.commit)}` : "";
    lines.push(`${colors.bold("source")} ${printable(source.input)}${at}`);
  }
  if (lines.length > 0) lines.push("");

  const files = [...report.files];
  // A finding whose file has no entry should never happen, but it must still be shown.
  for (const file of findingsByFile.keys()) {
    if (!files.some((entry) => entry.path === file)) files.push(orphanEntry(file));
  }

  for (const file of files) {
    const findings = [...(findingsByFile.get(file.path) ?? [])].sort((a, b) => compareSeverity(a.severity, b.severity));
    const hasProblems = findings.length > 0 || file.reasons.length > 0 || file.outcome !== "clean";
    if (options.quiet && !hasProblems) continue;

    const details: string[] = [];
    for (const reason of file.reasons) {
      // Core prefixes top-level reasons with the file path, already in the header.
      const text = reason.startsWith(`${file.path}: `) ? reason.slice(file.path.length + 2) : reason;
      details.push(`  ${colors.yellow("!")} ${printable(text)}`);
    }
    for (const finding of findings) details.push(...findingLines(finding, colors));
    // The engine lists a bounded number of findings per rule and counts the rest in the rule's check.
    for (const check of checksByFile.get(file.path) ?? []) {
      const listed = findings.filter((finding) => finding.ruleId === check.ruleId).length;
      if (check.status === "failed" && check.findings > listed) {
        const more = `+ ${check.findings - listed} more ${check.ruleId} findings, counted and not listed`;
        details.push(`  ${colors.dim(printable(more))}`);
      }
    }
    if (options.verbose) {
      for (const check of checksByFile.get(file.path) ?? []) {
        const status =
          check.status === "failed"
            ? colors.red("failed ")
            : check.status === "skipped"
              ? colors.dim("skipped")
              : colors.green("passed ");
        const tail = check.status === "failed" ? ` (${check.findings})` : check.reason ? ` (${check.reason})` : "";
        details.push(`  ${colors.dim("check")} ${status} ${check.ruleId}${colors.dim(printable(tail))}`);
        // What the check verified or recorded (a signer, a license, a model's source).
        for (const note of check.notes ?? []) details.push(`    ${colors.dim("note:")} ${printable(note)}`);
      }
    }
    // Clean files stay on one line each; a file with details stands apart, blank lines around it.
    if (details.length === 0) {
      lines.push(fileHeader(file, colors));
    } else {
      if (lines.length > 0 && lines.at(-1) !== "") lines.push("");
      lines.push(fileHeader(file, colors), ...details, "");
    }
  }

  if (!options.quiet && skippedOf(report).length > 0) {
    if (lines.length > 0 && lines.at(-1) !== "") lines.push("");
    lines.push(...skippedLines(report, colors));
  }

  if (lines.length > 0 && lines.at(-1) !== "") lines.push("");
  lines.push(summaryLine(report, colors));
  return `${lines.join("\n")}\n`;
}

/** Everything passed over below the named inputs, one line each: nothing is left out without a word. */
function skippedLines(report: Report, colors: Colors): string[] {
  const skipped = skippedOf(report);
  const lines = [colors.bold(`skipped (${skipped.length}):`)];
  for (const entry of skipped) {
    lines.push(`  ${colors.dim("-")} ${printable(entry.path)}  ${colors.dim(printable(entry.reason))}`);
  }
  return lines;
}

function fileHeader(file: FileEntry, colors: Colors): string {
  const formats = file.formats.length > 0 ? file.formats.join(", ") : "unrecognised";
  return `${colors.bold(printable(file.path))}  ${colors.dim(`[${printable(formats)}]`)}  ${outcomeLabel(file.outcome, colors)}`;
}

function outcomeLabel(outcome: FileEntry["outcome"], colors: Colors): string {
  switch (outcome) {
    case "clean":
      return colors.green("clean");
    case "findings":
      return colors.red("findings");
    case "inconclusive":
      return colors.yellow("inconclusive");
    case "error":
      return colors.magenta("error");
  }
}

export function severityLabel(severity: Severity, colors: Colors): string {
  const padded = severity.padEnd(8);
  if (severity === "critical") return colors.bold(colors.red(padded));
  if (severity === "warning") return colors.yellow(padded);
  return colors.blue(padded);
}

function findingLines(finding: Finding, colors: Colors): string[] {
  const indent = "    ";
  const lines = [
    `  ${severityLabel(finding.severity, colors)} ${colors.bold(printable(finding.ruleId))}  ${printable(finding.message)}`,
  ];
  if (finding.memberChain.length > 0) {
    lines.push(`${indent}${colors.dim("in:")} ${printable(describeMemberChain(finding.memberChain))}`);
  }
  const location = describeLocation(finding.location);
  if (location) lines.push(`${indent}${colors.dim("at:")} ${printable(location)}`);
  if (finding.evidence !== undefined) lines.push(`${indent}${colors.dim("evidence:")} ${printable(finding.evidence)}`);
  lines.push(`${indent}${colors.dim("fix:")} ${printable(finding.remediation)}`);
  if (finding.references.length > 0) {
    lines.push(`${indent}${colors.dim("see:")} ${printable(finding.references.map(shortReference).join(", "))}`);
  }
  return lines;
}

/** "3 files: 1 clean, 1 with findings (1 critical, 0 warning), 1 inconclusive, 2 skipped — exit 1" */
export function summaryLine(report: Report, colors: Colors = createColors(false)): string {
  const { summary } = report;
  const counts = [
    `${summary.outcomes.clean} clean`,
    `${summary.outcomes.findings} with findings (${summary.findings.critical} critical, ${summary.findings.warning} warning${
      summary.findings.info > 0 ? `, ${summary.findings.info} info` : ""
    })`,
    `${summary.outcomes.inconclusive} inconclusive`,
  ];
  if (summary.outcomes.error > 0) counts.push(`${summary.outcomes.error} error`);
  // Older reports (schema 1.0) have no skipped count.
  if ((summary.skipped ?? 0) > 0) counts.push(`${summary.skipped} skipped`);
  const exit = `exit ${summary.exitCode}`;
  const coloredExit =
    summary.exitCode === 0 ? colors.green(exit) : summary.exitCode === 1 ? colors.red(exit) : colors.yellow(exit);
  return `${summary.files} ${summary.files === 1 ? "file" : "files"}: ${counts.join(", ")} — ${coloredExit}`;
}

/**
 * Paths, member names, messages and evidence come from hostile files: escape control characters so
 * none can move the cursor, fake a line or smuggle ANSI sequences into the terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => {
    if (char === "\n") return "\\n";
    if (char === "\r") return "\\r";
    if (char === "\t") return "\\t";
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

function orphanEntry(file: string): FileEntry {
  return {
    path: file,
    size: 0,
    formats: [],
    sha256: null,
    outcome: "findings",
    reasons: [],
    members: 0,
    durationMs: 0,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
