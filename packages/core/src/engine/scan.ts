import { availableParallelism } from "node:os";
import type { ResolvedConfig } from "../config.js";
import type { Check, Finding } from "../findings.js";
import {
  type ExitCode,
  exitCodeFor,
  type FileEntry,
  REPORT_SCHEMA_VERSION,
  type Report,
  sortReport,
} from "../report.js";
import type { Registry } from "./registry.js";
import { type ArtifactResult, scanArtifact } from "./scan-artifact.js";
import { type WalkedFile, walkPaths } from "./walk.js";
import { scanWithWorkers } from "./worker-pool.js";

export interface ScanProgress {
  completed: number;
  total: number;
  file: string;
}

export interface ScanOptions {
  registry: Registry;
  config: ResolvedConfig;
  /** The program that runs the scan, for the report. */
  tool?: { name: string; version: string };
  onProgress?: (progress: ScanProgress) => void;
  /** Files scanned at once in this thread (I/O overlaps; parsing shares the thread). */
  concurrency?: number;
  /**
   * Scan on worker threads, across cores: each worker imports the plugins from these module URLs.
   * Used when more than one file is scanned; falls back to this thread if workers cannot start.
   */
  workers?: { pluginUrls: string[]; threads: number };
  /**
   * Count a clean file's checks without listing them (`report.checks` then holds the checks of files
   * with findings or problems; `summary.checks` still counts every check): the report of a large
   * clean folder grows with its findings, not its files.
   */
  omitCleanChecks?: boolean;
}

/** Scans files and directories and returns the report. Never throws for bad model files. */
export async function scan(paths: readonly string[], options: ScanOptions): Promise<Report> {
  const started = Date.now();
  const { registry, config } = options;
  const walked = await walkPaths(paths, config.ignore);
  const files: FileEntry[] = [];
  const findings: Finding[] = [];
  const checks: Check[] = [];

  // What cannot be scanned still gets an entry: an error when it cannot be read, inconclusive when a
  // named input is a special file (never opened). Either way the exit code says something was left out.
  for (const missing of walked.missing) files.push(unscannedEntry(missing.path, "error", missing.reason));
  for (const special of walked.unscannable) files.push(unscannedEntry(special.path, "inconclusive", special.reason));

  let completed = 0;
  const done = new Set<WalkedFile>();
  const omitted = { passed: 0, failed: 0, skipped: 0 };
  const artifactOptions = options.omitCleanChecks ? { omitCleanChecks: true } : {};
  const record = (file: WalkedFile, result: ArtifactResult) => {
    done.add(file);
    files.push(result.entry);
    for (const finding of result.findings) findings.push(finding);
    for (const check of result.checks) checks.push(check);
    if (result.omittedChecks) {
      omitted.passed += result.omittedChecks.passed;
      omitted.failed += result.omittedChecks.failed;
      omitted.skipped += result.omittedChecks.skipped;
    }
    completed++;
    options.onProgress?.({ completed, total: walked.files.length, file: file.path });
  };

  if (options.workers && options.workers.threads > 1 && walked.files.length > 1) {
    try {
      await scanWithWorkers(walked.files, { ...options.workers, config, artifact: artifactOptions }, record);
    } catch {
      // Workers could not start (e.g. a plugin that only loads in the main thread): scan here.
    }
  }
  const remaining = walked.files.filter((file) => !done.has(file));
  let next = 0;
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism() * 2));
  const worker = async () => {
    while (next < remaining.length) {
      const file = remaining[next++];
      if (!file) break;
      record(file, await scanArtifact(file.path, file.size, registry, config, artifactOptions));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, remaining.length)) }, worker));

  const exitCode: ExitCode = exitCodeFor(files, findings, config.failOn);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: options.tool ?? { name: "@modelaudit/core", version: __PACKAGE_VERSION__ },
    plugins: registry.plugins.map((plugin) => ({ name: plugin.meta.name, version: plugin.meta.version })),
    level: config.level,
    failOn: config.failOn,
    files,
    findings,
    checks,
    skipped: walked.skipped,
    summary: {
      files: files.length,
      bytes: files.reduce((total, file) => total + file.size, 0),
      outcomes: {
        clean: files.filter((file) => file.outcome === "clean").length,
        findings: files.filter((file) => file.outcome === "findings").length,
        inconclusive: files.filter((file) => file.outcome === "inconclusive").length,
        error: files.filter((file) => file.outcome === "error").length,
      },
      findings: {
        critical: findings.filter((finding) => finding.severity === "critical").length,
        warning: findings.filter((finding) => finding.severity === "warning").length,
        info: findings.filter((finding) => finding.severity === "info").length,
      },
      checks: {
        passed: omitted.passed + checks.filter((check) => check.status === "passed").length,
        failed: omitted.failed + checks.filter((check) => check.status === "failed").length,
        skipped: omitted.skipped + checks.filter((check) => check.status === "skipped").length,
      },
      skipped: walked.skipped.length,
      exitCode,
      durationMs: Date.now() - started,
    },
  };
  report.plugins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sortReport(report);
}

function unscannedEntry(filePath: string, outcome: "error" | "inconclusive", reason: string): FileEntry {
  return {
    path: filePath,
    size: 0,
    formats: [],
    sha256: null,
    outcome,
    reasons: [reason],
    members: 0,
    durationMs: 0,
  };
}
