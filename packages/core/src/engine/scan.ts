import { availableParallelism } from "node:os";
import type { ResolvedConfig } from "../config.js";
import type { Check, Finding } from "../findings.js";
import { type FileEntry, REPORT_SCHEMA_VERSION, type Report, sortReport, summaryOf } from "../report.js";
import { rulesThatRun } from "./checks.js";
import { settleDataFiles } from "./data-files.js";
import type { Registry } from "./registry.js";
import { type ArtifactResult, scanArtifact } from "./scan-artifact.js";
import { type WalkedFile, walkPaths } from "./walk.js";
import { startWorkers } from "./worker-pool.js";

/** Where a scan is: sent when a file is finished, and as the single pass reads a file (every 4 MiB). */
export interface ScanProgress {
  /** Files finished, of `total`. */
  completed: number;
  total: number;
  /**
   * Bytes read, of `totalBytes` (the sizes of the files found): finished files count in full, a file
   * being scanned as far as its byte pass got (at the quick level, which reads no data, only when it finishes).
   */
  bytes: number;
  totalBytes: number;
  /** The file just finished, or being read. */
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
  /**
   * Hears each scanned file's own result when it is finished (its entry, findings, checks and, with
   * `omitCleanChecks`, the counts of a clean file's unlisted checks): for callers that keep results
   * per file, such as the CLI's cache. Inputs that could not be scanned (missing, special) are not
   * files scanned: they are only in the report.
   */
  onFile?: (result: ArtifactResult) => void;
}

/** Scans files and directories and returns the report. Never throws for bad model files. */
export async function scan(paths: readonly string[], options: ScanOptions): Promise<Report> {
  const started = Date.now();
  const { registry, config } = options;
  const artifactOptions = options.omitCleanChecks ? { omitCleanChecks: true } : {};
  const poolOptions = options.workers && {
    ...options.workers,
    config,
    artifact: artifactOptions,
    reportReading: options.onProgress !== undefined,
  };
  const walked = await walkPaths(paths, config.ignore);
  const files: FileEntry[] = [];
  const findings: Finding[] = [];
  const checks: Check[] = [];

  // What cannot be scanned still gets an entry: an error when it cannot be read, inconclusive when a
  // named input is a special file (never opened). Either way the exit code says something was left out.
  for (const missing of walked.missing) files.push(unscannedEntry(missing.path, "error", missing.reason));
  for (const special of walked.unscannable) files.push(unscannedEntry(special.path, "inconclusive", special.reason));

  let completed = 0;
  // Progress by bytes: finished files in full, files in progress as far as their byte pass got.
  const totalBytes = walked.files.reduce((sum, file) => sum + file.size, 0);
  let finishedBytes = 0;
  const reading = new Map<string, number>();
  const progress = (file: string) => {
    let bytes = finishedBytes;
    for (const read of reading.values()) bytes += read;
    options.onProgress?.({
      completed,
      total: walked.files.length,
      bytes: Math.min(bytes, totalBytes),
      totalBytes,
      file,
    });
  };
  const onRead = options.onProgress
    ? (file: WalkedFile, bytes: number) => {
        reading.set(file.path, Math.min(bytes, file.size));
        progress(file.path);
      }
    : undefined;
  const done = new Set<WalkedFile>();
  const omitted = { passed: 0, failed: 0, skipped: 0 };
  // Each file's own result (what `onFile` hears); their entries are settled together at the end.
  const results: ArtifactResult[] = [];
  const record = (file: WalkedFile, result: ArtifactResult) => {
    done.add(file);
    options.onFile?.(result);
    results.push(result);
    for (const finding of result.findings) findings.push(finding);
    for (const check of result.checks) checks.push(check);
    if (result.omittedChecks) {
      omitted.passed += result.omittedChecks.passed;
      omitted.failed += result.omittedChecks.failed;
      omitted.skipped += result.omittedChecks.skipped;
    }
    completed++;
    reading.delete(file.path);
    finishedBytes += file.size;
    progress(file.path);
  };

  if (poolOptions && poolOptions.threads > 1 && worthWorkers(walked.files.length, totalBytes)) {
    const pool = startWorkers({ ...poolOptions, threads: Math.min(poolOptions.threads, walked.files.length) });
    try {
      await pool.scan(walked.files, record, onRead);
    } catch {
      // Workers could not start (e.g. a plugin that only loads in the main thread): scan here.
    }
    await pool.close();
  }
  const remaining = walked.files.filter((file) => !done.has(file));
  let next = 0;
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism() * 2));
  const worker = async () => {
    while (next < remaining.length) {
      const file = remaining[next++];
      if (!file) break;
      const fileOptions = onRead
        ? { ...artifactOptions, onRead: (bytes: number) => onRead(file, bytes) }
        : artifactOptions;
      record(file, await scanArtifact(file.path, file.size, registry, config, fileOptions));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, remaining.length)) }, worker));
  // A file another model of this scan reads as its data is that model's data, whichever was scanned first.
  for (const result of await settleDataFiles(results)) files.push(result.entry);

  const parts = { files, findings, checks, skipped: walked.skipped, failOn: config.failOn };
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: options.tool ?? { name: "@modelaudit/core", version: __PACKAGE_VERSION__ },
    plugins: registry.plugins.map((plugin) => ({ name: plugin.meta.name, version: plugin.meta.version })),
    rules: rulesThatRun(registry.detectors, config),
    level: config.level,
    ...parts,
    summary: summaryOf(parts, omitted, Date.now() - started),
  };
  report.plugins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sortReport(report);
}

/**
 * Worker threads cost start-up (each imports every plugin: ~0.3 s of CPU, as much as scanning a few
 * hundred small files), so they are used for work that outweighs it: many files, or large ones.
 * A folder of a model's few configs is scanned faster on this thread.
 */
const MIN_FILES_FOR_WORKERS = 32;
const MIN_BYTES_FOR_WORKERS = 64 * 1024 * 1024;

function worthWorkers(files: number, bytes: number): boolean {
  return files > 1 && (files >= MIN_FILES_FOR_WORKERS || bytes >= MIN_BYTES_FOR_WORKERS);
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
