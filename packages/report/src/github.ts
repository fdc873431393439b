import path from "node:path";
import type { Finding, Severity } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { describeLocation, describeMemberChain } from "./describe-location.js";
import { skippedOf } from "./json.js";
import { summaryLine } from "./text.js";

export interface GithubOptions {
  /** Absolute paths under this directory are written relative to it (GitHub resolves them against the checkout). */
  baseDirectory?: string;
}

/** GitHub shows `error` and `warning` annotations on the pull request; `notice` for informational findings. */
const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  critical: "error",
  warning: "warning",
  info: "notice",
};

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), one per finding and
 * one warning per file that could not be fully analysed, then the summary line. The runner turns them
 * into annotations on the files; everything else in the log stays plain text.
 */
export function toGithub(report: Report, options: GithubOptions = {}): string {
  const baseDirectory = options.baseDirectory ?? process.cwd();
  const lines: string[] = [];
  for (const finding of report.findings) {
    const properties: [string, string][] = [["file", relativeFile(finding.file, baseDirectory)]];
    // A line only means something in the top-level file, not inside an archive member.
    const line = finding.memberChain.length === 0 ? finding.location?.line : undefined;
    if (line !== undefined && line >= 1) {
      properties.push(["line", String(line)]);
      const column = finding.location?.column;
      if (column !== undefined && column >= 1) properties.push(["col", String(column)]);
    }
    properties.push(["title", `${finding.ruleId} (${finding.severity})`]);
    lines.push(command(COMMAND[finding.severity], properties, findingMessage(finding)));
  }
  for (const file of report.files) {
    if (file.outcome !== "inconclusive" && file.outcome !== "error") continue;
    const reasons = file.reasons.length > 0 ? file.reasons.join("; ") : file.outcome;
    lines.push(
      command(
        file.outcome === "error" ? "error" : "warning",
        [
          ["file", relativeFile(file.path, baseDirectory)],
          ["title", `modelaudit: ${file.outcome}`],
        ],
        `${file.outcome}: ${reasons}`,
      ),
    );
  }
  for (const entry of skippedOf(report)) {
    lines.push(
      command(
        "notice",
        [
          ["file", relativeFile(entry.path, baseDirectory)],
          ["title", "modelaudit: skipped"],
        ],
        entry.reason,
      ),
    );
  }
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
}

function findingMessage(finding: Finding): string {
  const where = [
    finding.memberChain.length > 0 ? `in ${describeMemberChain(finding.memberChain)}` : "",
    describeLocation(finding.location) ? `at ${describeLocation(finding.location)}` : "",
  ].filter(Boolean);
  const evidence = finding.evidence !== undefined ? `\nevidence: ${finding.evidence}` : "";
  return `${finding.message}${where.length > 0 ? ` (${where.join(", ")})` : ""}${evidence}\nfix: ${finding.remediation}`;
}

/** One workflow command; values escaped as the runner expects, so a file name cannot inject another command. */
function command(name: string, properties: readonly [string, string][], message: string): string {
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(",");
  return `::${name} ${list}::${escapeData(message)}`;
}

// The runner's own escaping (actions/toolkit, command.ts): data escapes % CR LF; properties also : and ,.
export function escapeData(text: string): string {
  return stripControls(text).replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** Control characters other than newlines never reach the log (a terminal escape in a file name). */
function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "?");
}

/** Relative with forward slashes under the base directory; remote URIs and outside paths as given. */
function relativeFile(file: string, baseDirectory: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  const absolute = path.resolve(baseDirectory, file);
  const relative = path.relative(baseDirectory, absolute);
  if (relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return absolute.split(path.sep).join("/");
  }
  return relative.split(path.sep).join("/");
}
