import type { Check, Finding } from "@modelaudit/core";
import {
  type FileEntry,
  type Report,
  type ScanProgress,
  type SkippedEntry,
  scan,
  settleDataFiles,
  sortReport,
  summaryOf,
  walkPaths,
} from "@modelaudit/core/engine";
import { cacheKey, folderFingerprint, hashFile } from "./cache/key.js";
import { type CachedResult, ScanCache } from "./cache/store.js";
import type { Setup } from "./load-setup.js";
import type { ProgressReporter } from "./progress.js";

export interface RunScanOptions {
  setup: Setup;
  tool: { name: string; version: string };
  /** Worker threads for the scan. */
  threads: number;
  progress?: ProgressReporter;
  /** `--cache DIR`: reuse per-file results of unchanged files. */
  cacheDirectory?: string;
  /** Told how many files came from the cache and how many were scanned. */
  onCacheStats?: (stats: { reused: number; scanned: number }) => void;
  /** Count clean files' checks without listing them (the cache stores them so too). */
  omitCleanChecks?: boolean;
}

/** The engine's progress (bytes read within files too) as the bar's scanning phase. */
function scanningProgress(progress: ProgressReporter | undefined): { onProgress?: (update: ScanProgress) => void } {
  if (!progress) return {};
  return {
    onProgress: (update) =>
      progress.update({
        phase: "scanning",
        bytes: update.bytes,
        totalBytes: update.totalBytes,
        files: update.completed,
        totalFiles: update.total,
        file: update.file,
      }),
  };
}

/**
 * The scan with byte progress and the cache around the engine's `scan`. The cache needs each file's
 * SHA-256 before deciding, so it begins with the engine's own walk (ignores and skips included), which
 * opens no file.
 */
export async function runScan(targets: string[], options: RunScanOptions): Promise<Report> {
  const { setup, progress } = options;
  const engineOptions = {
    registry: setup.registry,
    config: setup.config,
    tool: options.tool,
    workers: { pluginUrls: setup.pluginUrls, threads: options.threads },
  };
  if (options.cacheDirectory === undefined) {
    const omit = options.omitCleanChecks ? { omitCleanChecks: true } : {};
    return scan(targets, { ...engineOptions, ...omit, ...scanningProgress(progress) });
  }

  const started = Date.now();
  const walked = await walkPaths(targets, setup.config.ignore);
  const regular = walked.files;

  const cache = new ScanCache(options.cacheDirectory);
  const plugins = setup.registry.plugins.map((plugin) => ({ name: plugin.meta.name, version: plugin.meta.version }));
  // Entries hold results as this run reports them: summarised clean checks stay small on disk too.
  const summarisesCleanChecks = options.omitCleanChecks === true;
  const identity = { tool: options.tool, plugins, config: setup.config, summarisesCleanChecks };
  const folders = new Map<string, Promise<string>>();
  const hits: CachedResult[] = [];
  const misses = new Map<string, { sha256: string; key: string } | undefined>();
  const totalBytes = regular.reduce((sum, file) => sum + file.size, 0);
  let hashed = 0;
  let done = 0;

  // The hash-only pass: every byte of every file, then the stored result if the key has one. Several
  // files in flight: for small files the time is file-system round trips, not hashing.
  const looked = await mapBounded(regular, CACHE_IO_CONCURRENCY, async (file) => {
    let sha256: string;
    try {
      sha256 = await hashFile(file.path, file.size, (bytes) => {
        hashed += bytes;
        progress?.update({
          phase: "hashing",
          bytes: Math.min(hashed, totalBytes),
          totalBytes,
          files: done,
          totalFiles: regular.length,
          file: file.path,
        });
      });
    } catch {
      // Unreadable now: the scan will say why.
      done++;
      return { file, hashedAs: undefined, cached: undefined };
    }
    done++;
    const key = cacheKey(sha256, file.path, await folderFingerprint(file.path, folders), identity);
    return { file, hashedAs: { sha256, key }, cached: await cache.get(key, { path: file.path, sha256 }) };
  });
  // In walk order, whichever lookup finished first.
  for (const { file, hashedAs, cached } of looked) {
    if (cached) hits.push(cached);
    else misses.set(file.path, hashedAs);
  }
  // Named inputs that are not regular files (missing, special) get their entries from the scan.
  for (const input of [...walked.missing, ...walked.unscannable]) misses.set(input.path, undefined);

  // Each file's own result as the engine finished it (clean checks counted or listed as this run
  // reports them), to store; inputs that could not be scanned are only in the report.
  const scanned: CachedResult[] = [];
  const omit = options.omitCleanChecks ? { omitCleanChecks: true } : {};
  const report = await scan([...misses.keys()], {
    ...engineOptions,
    ...omit,
    ...scanningProgress(progress),
    onFile: (result) => scanned.push(result),
  });
  const scannedPaths = new Set(scanned.map((result) => result.entry.path));
  const unscanned = report.files
    .filter((entry) => !scannedPaths.has(entry.path))
    .map((entry) => ({
      entry,
      findings: report.findings.filter((finding) => finding.file === entry.path),
      checks: report.checks.filter((check) => check.file === entry.path),
    }));

  // Store what was scanned, unless the file changed between the hash and the scan.
  let stored = 0;
  await mapBounded(scanned, CACHE_IO_CONCURRENCY, async (result) => {
    const hashedAs = misses.get(result.entry.path);
    if (!hashedAs || (result.entry.sha256 !== null && result.entry.sha256 !== hashedAs.sha256)) return;
    // A cache that cannot be written costs speed, never the scan.
    await cache.set(hashedAs.key, { ...result, entry: { ...result.entry, sha256: hashedAs.sha256 } }).then(
      () => stored++,
      () => undefined,
    );
  });
  // Only new entries can push the cache past its bounds.
  if (stored > 0) await cache.evict().catch(() => undefined);

  options.onCacheStats?.({ reused: hits.length, scanned: misses.size });
  // Results reused and scanned are settled together: a model and its data file may come from either.
  const settled = await settleDataFiles([...scanned, ...unscanned, ...hits]);
  return assemble(report, settled, walked.skipped, started);
}

/** Files hashed, looked up or stored at once: enough to hide file-system latency, few open files. */
const CACHE_IO_CONCURRENCY = 16;

/** `work` over `items` with at most `limit` running at once; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** The report of every file's result (scanned or reused) and the walk's skipped entries, summary recomputed. */
function assemble(
  report: Report,
  results: readonly CachedResult[],
  walkSkipped: readonly SkippedEntry[],
  started: number,
): Report {
  const files: FileEntry[] = results.map((result) => result.entry);
  const findings: Finding[] = results.flatMap((result) => result.findings);
  const checks: Check[] = results.flatMap((result) => result.checks);
  const omitted = { passed: 0, failed: 0, skipped: 0 };
  for (const { omittedChecks } of results) {
    if (!omittedChecks) continue;
    omitted.passed += omittedChecks.passed;
    omitted.failed += omittedChecks.failed;
    omitted.skipped += omittedChecks.skipped;
  }
  const seen = new Set(report.skipped.map((entry) => `${entry.path}\0${entry.reason}`));
  const skipped = [...report.skipped, ...walkSkipped.filter((entry) => !seen.has(`${entry.path}\0${entry.reason}`))];
  const parts = { files, findings, checks, skipped, failOn: report.failOn };
  const merged: Report = { ...report, ...parts, summary: summaryOf(parts, omitted, Date.now() - started) };
  return sortReport(merged);
}
