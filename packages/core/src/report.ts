import { atOrAbove, type Check, compareSeverity, type Finding, type Severity } from "./findings.js";

/** Bumped on any change to the report's shape; documented by `schema/report.schema.json`. */
export const REPORT_SCHEMA_VERSION = "2.5.0";

export type Outcome = "clean" | "findings" | "inconclusive" | "error";

export interface FileEntry {
  path: string;
  size: number;
  formats: string[];
  /** Null when the scan level does not hash, or the file could not be read. */
  sha256: string | null;
  outcome: Outcome;
  /** Why the file is inconclusive or errored; also lists limits hit when there are findings. */
  reasons: string[];
  /** Nested members and streams scanned inside this file. */
  members: number;
  durationMs: number;
  /** SHA-512 of the whole file, when the scan asked for it (schema 2.2). */
  sha512?: string;
  /** Digests of every member and decoded stream read to its end, when the scan asked for them (schema 2.2). */
  memberDigests?: MemberDigest[];
  /**
   * The models of the same scan whose loader reads this file as their data (an ONNX model's external
   * data file) and whose scans read its bytes so (schema 2.5): a model-named file no handler reads on
   * its own is then their data, not an unread model.
   */
  dataOf?: string[];
}

/** The digests of one archive member or decoded stream, named by its member chain. */
export interface MemberDigest {
  memberChain: string[];
  size: number;
  sha256: string;
  sha512?: string;
}

/**
 * Something found under a named input and not scanned (a special file, a link not followed, an
 * ignored path, an empty directory), with why. Named inputs that cannot be scanned are `files`
 * entries instead, so they count towards the exit code.
 */
export interface SkippedEntry {
  path: string;
  reason: string;
}

/**
 * A remote input that was downloaded and scanned (`hf://org/repo@rev`, an `https://` URL), and the
 * exact version scanned, so a report can be tied to what it describes after the branch moves on.
 */
export interface RemoteSource {
  /** The input as given, credentials and query string removed. */
  input: string;
  kind: "huggingface" | "url";
  /** The repository page (Hugging Face) or the URL the bytes finally came from (after redirects). */
  url: string;
  /** The revision asked for (branch, tag or commit); Hugging Face only. */
  revision?: string;
  /** The commit the revision resolved to, which every file was downloaded at; Hugging Face only. */
  commit?: string;
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  plugins: { name: string; version: string }[];
  /** Ids of the rules the scan ran (schema 2.4): every loaded detector's, less those off or not run at this level. */
  rules?: string[];
  level: string;
  failOn: Severity;
  /** Remote inputs scanned (schema 2.1); absent when every input was local. */
  sources?: RemoteSource[];
  files: FileEntry[];
  findings: Finding[];
  checks: Check[];
  skipped: SkippedEntry[];
  summary: Summary;
}

export interface Summary {
  files: number;
  bytes: number;
  outcomes: Record<Outcome, number>;
  findings: Record<Severity, number>;
  checks: { passed: number; failed: number; skipped: number };
  /** Entries in `skipped`. */
  skipped: number;
  exitCode: ExitCode;
  durationMs: number;
}

/**
 * Exit codes, a contract CI relies on:
 * 0 nothing at or above the fail threshold;
 * 1 findings at or above it;
 * 2 nothing found at or above it, but some artifact inconclusive or failed, or a usage error.
 */
export type ExitCode = 0 | 1 | 2;

export function exitCodeFor(files: readonly FileEntry[], findings: readonly Finding[], failOn: Severity): ExitCode {
  if (findings.some((finding) => atOrAbove(finding.severity, failOn))) return 1;
  if (files.length === 0) return 2;
  if (files.some((file) => file.outcome === "inconclusive" || file.outcome === "error" || file.reasons.length > 0)) {
    return 2;
  }
  return 0;
}

/** Checks left out of a report's `checks` (clean files' passes), counted in its summary all the same. */
export interface OmittedChecks {
  passed: number;
  failed: number;
  skipped: number;
}

/** A report's summary, counted from its parts: every program that builds or merges a report uses it. */
export function summaryOf(
  parts: Pick<Report, "files" | "findings" | "checks" | "skipped" | "failOn">,
  omitted: OmittedChecks,
  durationMs: number,
): Summary {
  const { files, findings, checks } = parts;
  const count = <T>(items: readonly T[], test: (item: T) => boolean): number => {
    let matched = 0;
    for (const item of items) if (test(item)) matched++;
    return matched;
  };
  return {
    files: files.length,
    bytes: files.reduce((total, file) => total + file.size, 0),
    outcomes: {
      clean: count(files, (file) => file.outcome === "clean"),
      findings: count(files, (file) => file.outcome === "findings"),
      inconclusive: count(files, (file) => file.outcome === "inconclusive"),
      error: count(files, (file) => file.outcome === "error"),
    },
    findings: {
      critical: count(findings, (finding) => finding.severity === "critical"),
      warning: count(findings, (finding) => finding.severity === "warning"),
      info: count(findings, (finding) => finding.severity === "info"),
    },
    checks: {
      passed: omitted.passed + count(checks, (check) => check.status === "passed"),
      failed: omitted.failed + count(checks, (check) => check.status === "failed"),
      skipped: omitted.skipped + count(checks, (check) => check.status === "skipped"),
    },
    skipped: parts.skipped.length,
    exitCode: exitCodeFor(files, findings, parts.failOn),
    durationMs,
  };
}

/**
 * Deterministic order: files by path; findings by file, member chain, severity, rule, offset, message;
 * checks by file and rule; skipped entries by path and reason.
 */
export function sortReport(report: Report): Report {
  report.files.sort((a, b) => compareStrings(a.path, b.path));
  report.findings.sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      compareStrings(a.memberChain.join("\0"), b.memberChain.join("\0")) ||
      compareSeverity(a.severity, b.severity) ||
      compareStrings(a.ruleId, b.ruleId) ||
      (a.location?.offset ?? -1) - (b.location?.offset ?? -1) ||
      compareStrings(a.message, b.message),
  );
  report.checks.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.ruleId, b.ruleId));
  report.skipped.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.reason, b.reason));
  return report;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
