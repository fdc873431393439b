import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Check, Finding } from "@modelaudit/core";
import type { FileEntry } from "@modelaudit/core/engine";

/** Bump when the stored shape or the key recipe changes: old entries then simply miss. */
export const CACHE_FORMAT = 1;
/** An entry larger than this is neither written nor read (a file with a flood of findings is rescanned). */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

/** The result of one top-level file, as reused on a cache hit. */
export interface CachedResult {
  entry: FileEntry;
  findings: Finding[];
  checks: Check[];
}

export interface CacheBounds {
  /** Entries kept at most; the least recently used go first. */
  maxEntries: number;
  /** Bytes of entries kept at most. */
  maxBytes: number;
}

export const DEFAULT_BOUNDS: CacheBounds = { maxEntries: 20_000, maxBytes: 512 * 1024 * 1024 };

interface StoredEntry {
  format: number;
  key: string;
  /** SHA-256 of `result` as serialised: a torn or edited write does not verify. */
  digest: string;
  result: CachedResult;
}

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

  /** The stored result for `key`, or undefined when there is none or it does not verify. */
  async get(key: string, expected: { path: string; sha256: string }): Promise<CachedResult | undefined> {
    const file = this.fileFor(key);
    let text: string;
    try {
      text = await readBounded(file, MAX_ENTRY_BYTES);
    } catch {
      return undefined;
    }
    let stored: StoredEntry;
    try {
      stored = JSON.parse(text) as StoredEntry;
    } catch {
      return undefined;
    }
    if (!isStoredEntry(stored) || stored.format !== CACHE_FORMAT || stored.key !== key) return undefined;
    if (digestOf(stored.result) !== stored.digest) return undefined;
    if (!resultMatches(stored.result, expected)) return undefined;
    // Least recently used goes first on eviction: a hit counts as a use.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return stored.result;
  }

  async set(key: string, result: CachedResult): Promise<void> {
    const stored: StoredEntry = { format: CACHE_FORMAT, key, digest: digestOf(result), result };
    const text = JSON.stringify(stored);
    if (Buffer.byteLength(text) > MAX_ENTRY_BYTES) return;
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, text);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
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

function digestOf(result: CachedResult): string {
  return createHash("sha256").update(JSON.stringify(result)).digest("hex");
}

/** Reads at most `limit` bytes; a larger file is refused rather than read. */
async function readBounded(file: string, limit: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > limit) throw new Error("not a cache entry");
    const buffer = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const { bytesRead } = await handle.read(buffer, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    await handle.close();
  }
}

const OUTCOMES = new Set(["clean", "findings", "inconclusive", "error"]);
const SEVERITIES = new Set(["critical", "warning", "info"]);
const STATUSES = new Set(["passed", "failed", "skipped"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStoredEntry(value: unknown): value is StoredEntry {
  return (
    isObject(value) &&
    typeof value.format === "number" &&
    typeof value.key === "string" &&
    typeof value.digest === "string" &&
    isObject(value.result)
  );
}

/** The shape a reporter relies on, for the file this key was computed for. */
function resultMatches(result: CachedResult, expected: { path: string; sha256: string }): boolean {
  const { entry, findings, checks } = result as unknown as Record<string, unknown> & CachedResult;
  if (!isObject(entry) || !Array.isArray(findings) || !Array.isArray(checks)) return false;
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
