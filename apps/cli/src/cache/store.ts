import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readdir, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import type { Check, Finding } from "@modelaudit/core";
import type { FileEntry } from "@modelaudit/core/engine";

/** Bump when the stored shape or the key recipe changes: old entries then simply miss. */
export const CACHE_FORMAT = 2;
/** An entry larger than this is neither written nor read (a file with a flood of findings is rescanned). */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

/** The result of one top-level file, as reused on a cache hit. */
export interface CachedResult {
  entry: FileEntry;
  findings: Finding[];
  checks: Check[];
  /** A clean file's bare checks, counted and not listed (when the scan summarises clean files). */
  omittedChecks?: CheckCounts;
}

export interface CheckCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface CacheBounds {
  /** Entries kept at most; the least recently used go first. */
  maxEntries: number;
  /** Bytes of entries kept at most. */
  maxBytes: number;
  /**
   * A hit marks its entry used (its modification time, for eviction) only when the mark is older than
   * this: a rescan of thousands of unchanged files does not rewrite thousands of inodes each time.
   */
  touchAfterMs: number;
}

export const DEFAULT_BOUNDS: CacheBounds = {
  maxEntries: 20_000,
  maxBytes: 512 * 1024 * 1024,
  touchAfterMs: 60 * 60 * 1000,
};

/**
 * An entry is one JSON object written as `{"format":F,"key":"K","digest":"D","result":R}`, where D is
 * the SHA-256 of R's text exactly as stored: verifying hashes the text read, without serialising the
 * parsed result again, and a torn or edited entry does not verify.
 */
const ENTRY_HEAD = /^\{"format":(\d+),"key":"([0-9a-f]{64})","digest":"([0-9a-f]{64})","result":/;

/**
 * Per-file scan results on disk, one JSON file per key under `<dir>/<2 hex>/<key>.json`. Reads never
 * trust an entry that does not verify (wrong format, key or digest, bad shape): it is a miss, and the
 * fresh result overwrites it. Writes go to a temp file renamed into place, so readers see whole entries.
 */
export class ScanCache {
  constructor(
    readonly directory: string,
    private readonly bounds: CacheBounds = DEFAULT_BOUNDS,
  ) {}

  /** Shard folders known to exist (made or seen by this instance). */
  private readonly shards = new Set<string>();
  /** Temp-file names unique to this instance: one random part, then a count. */
  private readonly writer = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private written = 0;

  /** The stored result for `key`, or undefined when there is none or it does not verify. */
  async get(key: string, expected: { path: string; sha256: string }): Promise<CachedResult | undefined> {
    const file = this.fileFor(key);
    let read: { text: string; modifiedMs: number };
    try {
      read = readBounded(file, MAX_ENTRY_BYTES);
    } catch {
      return undefined;
    }
    const { text } = read;
    const head = ENTRY_HEAD.exec(text);
    if (!head || Number(head[1]) !== CACHE_FORMAT || head[2] !== key || !text.endsWith("}")) return undefined;
    const resultText = text.slice(head[0].length, -1);
    if (digestOf(resultText) !== head[3]) return undefined;
    let result: CachedResult;
    try {
      result = JSON.parse(resultText) as CachedResult;
    } catch {
      return undefined;
    }
    if (!resultMatches(result, expected)) return undefined;
    // Least recently used goes first on eviction: a hit counts as a use.
    if (Date.now() - read.modifiedMs >= this.bounds.touchAfterMs) {
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
    }
    return result;
  }

  /** Synchronous on purpose, like the reads: entries are small and promise round trips cost more. */
  async set(key: string, result: CachedResult): Promise<void> {
    const resultText = JSON.stringify(result);
    const text = `{"format":${CACHE_FORMAT},"key":"${key}","digest":"${digestOf(resultText)}","result":${resultText}}`;
    if (Buffer.byteLength(text) > MAX_ENTRY_BYTES) return;
    const file = this.fileFor(key);
    const shard = path.dirname(file);
    if (!this.shards.has(shard)) {
      mkdirSync(shard, { recursive: true });
      this.shards.add(shard);
    }
    const temporary = `${file}.${this.writer}-${this.written++}.tmp`;
    try {
      writeFileSync(temporary, text);
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /** Drops the least recently used entries (and stray temp files) until the bounds hold. */
  async evict(): Promise<void> {
    const entries: { file: string; size: number; used: number }[] = [];
    let shards: string[];
    try {
      shards = await readdir(this.directory);
    } catch {
      return;
    }
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      let names: string[];
      try {
        names = await readdir(path.join(this.directory, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(this.directory, shard, name);
        try {
          const info = await stat(file);
          if (!info.isFile()) continue;
          // A temp file older than a minute is a write that died half way.
          if (name.endsWith(".tmp")) {
            if (Date.now() - info.mtimeMs > 60_000) await rm(file, { force: true });
            continue;
          }
          if (name.endsWith(".json")) entries.push({ file, size: info.size, used: info.mtimeMs });
        } catch {
          // Removed by a concurrent run: nothing to do.
        }
      }
    }
    entries.sort((a, b) => b.used - a.used);
    let count = 0;
    let bytes = 0;
    for (const entry of entries) {
      count++;
      bytes += entry.size;
      if (count > this.bounds.maxEntries || bytes > this.bounds.maxBytes) {
        await rm(entry.file, { force: true }).catch(() => undefined);
      }
    }
  }

  private fileFor(key: string): string {
    return path.join(this.directory, key.slice(0, 2), `${key}.json`);
  }
}

function digestOf(resultText: string): string {
  return createHash("sha256").update(resultText).digest("hex");
}

/**
 * Reads at most `limit` bytes; a larger file is refused rather than read. Synchronous on purpose:
 * entries are small, and for small files the promise API's round trips cost 2-4x the reads themselves.
 */
function readBounded(file: string, limit: number): { text: string; modifiedMs: number } {
  const descriptor = openSync(file, "r");
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile() || info.size > limit) throw new Error("not a cache entry");
    const buffer = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const bytesRead = readSync(descriptor, buffer, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { text: buffer.subarray(0, read).toString("utf8"), modifiedMs: info.mtimeMs };
  } finally {
    closeSync(descriptor);
  }
}

const OUTCOMES = new Set(["clean", "findings", "inconclusive", "error"]);
const SEVERITIES = new Set(["critical", "warning", "info"]);
const STATUSES_LIST = ["passed", "failed", "skipped"] as const;
const STATUSES = new Set<string>(STATUSES_LIST);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** The shape a reporter relies on, for the file this key was computed for. */
function resultMatches(result: CachedResult, expected: { path: string; sha256: string }): boolean {
  if (!isObject(result)) return false;
  const { entry, findings, checks, omittedChecks } = result as unknown as Record<string, unknown> & CachedResult;
  if (!isObject(entry) || !Array.isArray(findings) || !Array.isArray(checks)) return false;
  if (omittedChecks !== undefined) {
    if (!isObject(omittedChecks) || !STATUSES_LIST.every((status) => isCount(omittedChecks[status]))) return false;
    // Only a clean file's checks are ever summarised.
    if (entry.outcome !== "clean") return false;
  }
  if (entry.path !== expected.path || entry.sha256 !== expected.sha256) return false;
  if (!OUTCOMES.has(entry.outcome as string) || !Array.isArray(entry.formats) || !Array.isArray(entry.reasons)) {
    return false;
  }
  if (typeof entry.size !== "number" || typeof entry.members !== "number" || typeof entry.durationMs !== "number") {
    return false;
  }
  for (const finding of findings as unknown[]) {
    if (!isObject(finding) || finding.file !== expected.path) return false;
    if (typeof finding.ruleId !== "string" || !SEVERITIES.has(finding.severity as string)) return false;
    if (typeof finding.message !== "string" || !Array.isArray(finding.memberChain)) return false;
    if (!Array.isArray(finding.references) || typeof finding.remediation !== "string") return false;
  }
  for (const check of checks as unknown[]) {
    if (!isObject(check) || check.file !== expected.path) return false;
    if (typeof check.ruleId !== "string" || !STATUSES.has(check.status as string)) return false;
  }
  // An outcome that contradicts the findings is not a result we produced.
  if (entry.outcome === "clean" && findings.length > 0) return false;
  if (entry.outcome === "findings" && findings.length === 0) return false;
  return true;
}
