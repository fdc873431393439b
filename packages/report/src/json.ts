import type { Check, Finding, Location, Reference } from "@modelaudit/core";
import type { FileEntry, RemoteSource, Report, SkippedEntry, Summary } from "@modelaudit/core/engine";
import { sortReport } from "@modelaudit/core/engine";

export interface JsonOptions {
  /**
   * Leave out the checks of clean files, counted in `omitted` (the summary still counts them): the
   * report of a large clean folder then grows by one short entry per file, not one check per rule.
   */
  compact?: boolean;
}

/**
 * The versioned JSON report: keys in the order the schema documents them, 2-space indent, trailing
 * newline, so two scans of the same files diff cleanly.
 */
export function toJson(report: Report, options: JsonOptions = {}): string {
  const canonical = canonicalReport(report);
  return `${JSON.stringify(options.compact ? compactReport(canonical) : canonical, null, 2)}\n`;
}

/**
 * The report without the checks of clean files; `omitted.checks` says how many checks are not listed.
 * Checks that carry notes stay: a note is a record (a signer, a benign listing, a license, a source).
 */
export function compactReport(report: Report): Report & { omitted: { checks: number } } {
  const clean = new Set(report.files.filter((file) => file.outcome === "clean").map((file) => file.path));
  const checks = report.checks.filter((check) => !clean.has(check.file) || (check.notes?.length ?? 0) > 0);
  const { passed, failed, skipped } = report.summary.checks;
  const { summary, ...head } = report;
  // Checks the engine counted without listing them (clean files, `omitCleanChecks`) are omitted too.
  return { ...head, checks, omitted: { checks: passed + failed + skipped - checks.length }, summary };
}

/**
 * A copy of the report with every object rebuilt in schema key order and arrays in core's
 * deterministic order (`sortReport`); optional fields that are undefined are left out rather than written as null.
 */
export function canonicalReport(report: Report): Report {
  return sortReport({
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    plugins: [...report.plugins]
      .map((plugin) => ({ name: plugin.name, version: plugin.version }))
      .sort((a, b) => compareStrings(a.name, b.name)),
    ...(report.rules ? { rules: [...report.rules].sort(compareStrings) } : {}),
    level: report.level,
    failOn: report.failOn,
    ...(report.sources && report.sources.length > 0 ? { sources: report.sources.map(canonicalSource) } : {}),
    files: report.files.map(canonicalFile),
    findings: report.findings.map(canonicalFinding),
    checks: report.checks.map(canonicalCheck),
    skipped: skippedOf(report).map(canonicalSkipped),
    summary: canonicalSummary(report.summary, skippedOf(report).length),
  });
}

function canonicalSource(source: RemoteSource): RemoteSource {
  const result: RemoteSource = { input: source.input, kind: source.kind, url: source.url };
  if (source.revision !== undefined) result.revision = source.revision;
  if (source.commit !== undefined) result.commit = source.commit;
  return result;
}

function canonicalFile(file: FileEntry): FileEntry {
  return {
    path: file.path,
    size: file.size,
    formats: [...file.formats],
    sha256: file.sha256,
    outcome: file.outcome,
    reasons: [...file.reasons],
    members: file.members,
    durationMs: file.durationMs,
    // Present only when the scan asked for them (modelaudit hash, verify).
    ...(file.sha512 !== undefined && { sha512: file.sha512 }),
    ...(file.memberDigests !== undefined && { memberDigests: file.memberDigests.map((member) => ({ ...member })) }),
    // Present only for a file another model of the scan reads as its data.
    ...(file.dataOf !== undefined && { dataOf: [...file.dataOf] }),
  };
}

function canonicalFinding(finding: Finding): Finding {
  // Spread order is key order: location and evidence sit between memberChain and remediation.
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    confidence: finding.confidence,
    detector: finding.detector,
    messageId: finding.messageId,
    message: finding.message,
    file: finding.file,
    memberChain: [...finding.memberChain],
    ...(finding.location ? { location: canonicalLocation(finding.location) } : {}),
    ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
    remediation: finding.remediation,
    references: finding.references.map(canonicalReference),
  };
}

function canonicalReference(reference: Reference): Reference {
  if (reference.kind === "url") {
    return reference.title === undefined
      ? { kind: "url", url: reference.url }
      : { kind: "url", title: reference.title, url: reference.url };
  }
  return { kind: reference.kind, id: reference.id, title: reference.title, url: reference.url };
}

function canonicalLocation(location: Location): Location {
  const result: Location = {};
  if (location.offset !== undefined) result.offset = location.offset;
  if (location.path !== undefined) result.path = location.path;
  if (location.line !== undefined) result.line = location.line;
  if (location.column !== undefined) result.column = location.column;
  if (location.opcode !== undefined) result.opcode = location.opcode;
  if (location.stream !== undefined) result.stream = location.stream;
  return result;
}

function canonicalCheck(check: Check): Check {
  const result: Check = { ruleId: check.ruleId, file: check.file, status: check.status, findings: check.findings };
  if (check.reason !== undefined) result.reason = check.reason;
  if (check.notes !== undefined) result.notes = [...check.notes];
  return result;
}

function canonicalSkipped(entry: SkippedEntry): SkippedEntry {
  return { path: entry.path, reason: entry.reason };
}

/** The report's skipped entries; reports written before schema 1.1 (e.g. stored by the server) have none. */
export function skippedOf(report: Report): SkippedEntry[] {
  return (report as { skipped?: SkippedEntry[] }).skipped ?? [];
}

function canonicalSummary(summary: Summary, skipped: number): Summary {
  return {
    files: summary.files,
    bytes: summary.bytes,
    outcomes: {
      clean: summary.outcomes.clean,
      findings: summary.outcomes.findings,
      inconclusive: summary.outcomes.inconclusive,
      error: summary.outcomes.error,
    },
    findings: {
      critical: summary.findings.critical,
      warning: summary.findings.warning,
      info: summary.findings.info,
    },
    checks: { passed: summary.checks.passed, failed: summary.checks.failed, skipped: summary.checks.skipped },
    skipped: (summary as { skipped?: number }).skipped ?? skipped,
    exitCode: summary.exitCode,
    durationMs: summary.durationMs,
  };
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
