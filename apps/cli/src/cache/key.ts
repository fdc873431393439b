import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Engine } from "@modelaudit/core/engine";
import { CACHE_FORMAT } from "./store.js";

type ResolvedConfig = Engine["config"];

/** What a file's result depends on besides its bytes: the code that judged it and how it was told to. */
export interface ScanIdentity {
  tool: { name: string; version: string };
  plugins: readonly { name: string; version: string }[];
  config: ResolvedConfig;
  /** Whether a clean file's bare checks are summarised (counted) rather than listed: stored as run. */
  summarisesCleanChecks: boolean;
}

/**
 * The cache key of one file: its full SHA-256, its path, a fingerprint of its folder, the CLI and
 * plugin versions, and every config setting that changes a per-file result (level, rules, options,
 * limits, fail threshold). The path and folder are in because a result can depend on them: file
 * names break format ties and name findings, and some handlers read siblings (ONNX external data,
 * safetensors indexes, TensorFlow checkpoints, a key file beside encrypted weights).
 */
export function cacheKey(sha256: string, filePath: string, folder: string, identity: ScanIdentity): string {
  const file = JSON.stringify({ format: CACHE_FORMAT, sha256, path: path.resolve(filePath), folder });
  return createHash("sha256").update(file).update("\0").update(settingsOf(identity)).digest("hex");
}

/** The part of every key that is the same for the whole run, serialised once per identity. */
const settingsText = new WeakMap<ScanIdentity, string>();

function settingsOf(identity: ScanIdentity): string {
  let text = settingsText.get(identity);
  if (text === undefined) {
    const { config } = identity;
    text = JSON.stringify({
      tool: `${identity.tool.name}@${identity.tool.version}`,
      plugins: identity.plugins.map((plugin) => `${plugin.name}@${plugin.version}`).sort(),
      level: config.level,
      failOn: config.failOn,
      rules: sortedEntries(config.rules),
      options: canonical(config.options),
      limits: canonical(config.limits),
      cleanChecks: identity.summarisesCleanChecks ? "counted" : "listed",
    });
    settingsText.set(identity, text);
  }
  return text;
}

/**
 * Names, kinds and sizes of the entries beside a file, hashed: a sibling added, removed or resized
 * makes every file of the folder miss. Not modification times: a fresh CI checkout sets them all to
 * now, and the cache would never hit. (A sibling rewritten at the same size is not noticed; the engine
 * does not say which other files a result read.) Unreadable folders fingerprint as such.
 */
export async function folderFingerprint(filePath: string, cache: Map<string, Promise<string>>): Promise<string> {
  const folder = path.dirname(path.resolve(filePath));
  let pending = cache.get(folder);
  if (!pending) {
    pending = fingerprint(folder);
    cache.set(folder, pending);
  }
  return pending;
}

/** Folders with more entries than this fingerprint by their count only (bounded work). */
const MAX_FINGERPRINTED_ENTRIES = 10_000;

/** Synchronous on purpose: a stat per sibling, one folder at a time, is faster without promise round trips. */
async function fingerprint(folder: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    const names = (await readdir(folder)).sort();
    hash.update(`${names.length}\0`);
    if (names.length <= MAX_FINGERPRINTED_ENTRIES) {
      for (const name of names) {
        try {
          const info = statSync(path.join(folder, name));
          hash.update(`${name}\0${info.isDirectory() ? "d" : "f"}\0${info.isDirectory() ? 0 : info.size}\0`);
        } catch {
          hash.update(`${name}\0?\0`);
        }
      }
    }
  } catch {
    hash.update("unreadable");
  }
  return hash.digest("hex");
}

/** Files up to this size are hashed from one read: a stream costs more than the hashing for them. */
const SMALL_FILE = 1024 * 1024;

/**
 * SHA-256 of a file's bytes, streamed; `onBytes` hears each chunk's length (for progress). `size` is
 * the size the walk saw: a small file is read whole, and whatever it holds by then is what is hashed.
 */
export async function hashFile(filePath: string, size: number, onBytes?: (bytes: number) => void): Promise<string> {
  if (size <= SMALL_FILE) {
    const bytes = readSmall(filePath, size);
    if (bytes) {
      onBytes?.(bytes.length);
      return createHash("sha256").update(bytes).digest("hex");
    }
  }
  const hash = createHash("sha256");
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    onBytes?.(chunk.length);
  }
  return hash.digest("hex");
}

/**
 * The whole file when it is no larger than `size`, else undefined (it grew since the walk: stream it).
 * Synchronous on purpose: for small files the promise API's round trips cost 2-4x the reads themselves.
 */
function readSmall(filePath: string, size: number): Buffer | undefined {
  const descriptor = openSync(filePath, "r");
  try {
    // One byte more than expected: filling it means the file grew.
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const bytesRead = readSync(descriptor, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) return buffer.subarray(0, filled);
      filled += bytesRead;
    }
    return undefined;
  } finally {
    closeSync(descriptor);
  }
}

function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON with object keys sorted at every depth, so equal settings give equal keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      sortedEntries(value as Record<string, unknown>).map(([key, item]) => [key, canonical(item)]),
    );
  }
  return value;
}
