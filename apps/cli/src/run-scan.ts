import { stat } from "node:fs/promises";
import type { Check, Finding } from "@modelaudit/core";
import {
  buildRegistry,
  exitCodeFor,
  type FileEntry,
  type Report,
  type ScanProgress,
  scan,
  sortReport,
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
  /** Count clean files' checks without listing them (not with the cache, which stores every check). */
  omitCleanChecks?: boolean;
}

/** No plugins: a scan with it only walks the inputs (the engine's walk, ignores and skips included). */
const WALK_ONLY = buildRegistry([]);

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
 * SHA-256 before deciding, so it begins with the engine's own walk (a scan with no plugins at the
 * quick level: it opens each file for its first and last bytes only).
 */
export async function runScan(targets: string[], options: RunScanOptions): Promise<Report> {
  const { setup, progress } = options;
  const engineOptions = {
    registry: setup.registry,
    config: setup.config,
    tool: options.tool,
    workers: { pluginUrls: setup.pluginUrls, threads: options.threads },
    ...(options.omitCleanChecks && options.cacheDirectory === undefined ? { omitCleanChecks: true } : {}),
  };
  if (options.cacheDirectory === undefined) return scan(targets, { ...engineOptions, ...scanningProgress(progress) });

  const started = Date.now();
  const listing = await scan(targets, { registry: WALK_ONLY, config: { ...setup.config, level: "quick" } });
  const regular = await regularFiles(listing.files);

  const cache = new ScanCache(options.cacheDirectory);
  const plugins = setup.registry.plugins.map((plugin) => ({ name: plugin.meta.name, version: plugin.meta.version }));
  const identity = { tool: options.tool, plugins, config: setup.config };
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
      sha256 = await hashFile(file.path, (bytes) => {
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
  const regularPaths = new Set(regular.map((file) => file.path));
  for (const entry of listing.files) if (!regularPaths.has(entry.path)) misses.set(entry.path, undefined);

  const report = await scan([...misses.keys()], { ...engineOptions, ...scanningProgress(progress) });

  // Store what was scanned, unless the file changed between the hash and the scan. Grouped once:
  // searching the report per file made storing 5,000 small files take minutes.
  const entries = new Map(report.files.map((file) => [file.path, file]));
  const findingsOf = groupByFile(report.findings);
  const checksOf = groupByFile(report.checks);
  await mapBounded([...misses], CACHE_IO_CONCURRENCY, async ([filePath, hashedAs]) => {
    if (!hashedAs) return;
    const entry = entries.get(filePath);
    if (!entry || (entry.sha256 !== null && entry.sha256 !== hashedAs.sha256)) return;
    const result: CachedResult = {
      entry: { ...entry, sha256: hashedAs.sha256 },
      findings: findingsOf.get(filePath) ?? [],
      checks: checksOf.get(filePath) ?? [],
    };
    // A cache that cannot be written costs speed, never the scan.
    await cache.set(hashedAs.key, result).catch(() => undefined);
  });
  await cache.evict().catch(() => undefined);

  options.onCacheStats?.({ reused: hits.length, scanned: misses.size });
  return merge(report, hits, listing, started);
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

function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.file);
    if (group) group.push(item);
    else groups.set(item.file, [item]);
  }
  return groups;
}

/** The listed entries that are regular files now (not missing inputs or special files named on the command line). */
async function regularFiles(entries: readonly FileEntry[]): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = [];
  for (const entry of entries) {
    try {
      const info = await stat(entry.path);
      if (info.isFile()) files.push({ path: entry.path, size: info.size });
    } catch {
      // Missing: the scan reports it.
    }
  }
  return files;
}

/** The scan's report with the reused results added and the walk's skipped entries, summary recomputed. */
function merge(report: Report, hits: readonly CachedResult[], listing: Report, started: number): Report {
  const files: FileEntry[] = [...report.files, ...hits.map((hit) => hit.entry)];
  const findings: Finding[] = [...report.findings, ...hits.flatMap((hit) => hit.findings)];
  const checks: Check[] = [...report.checks, ...hits.flatMap((hit) => hit.checks)];
  const seen = new Set(report.skipped.map((entry) => `${entry.path}\0${entry.reason}`));
  const skipped = [
    ...report.skipped,
    ...listing.skipped.filter((entry) => !seen.has(`${entry.path}\0${entry.reason}`)),
  ];
  const exitCode = exitCodeFor(files, findings, report.failOn);
  const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length;
  const merged: Report = {
    ...report,
    files,
    findings,
    checks,
    skipped,
    summary: {
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
        passed: count(checks, (check) => check.status === "passed"),
        failed: count(checks, (check) => check.status === "failed"),
        skipped: count(checks, (check) => check.status === "skipped"),
      },
      skipped: skipped.length,
      exitCode,
      durationMs: Date.now() - started,
    },
  };
  return sortReport(merged);
}
