import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CachedResult, MAX_ENTRY_BYTES, ScanCache } from "../src/cache/store.js";
import { loadSetup } from "../src/load-setup.js";
import {
  createProgressBar,
  etaMs,
  formatBytes,
  formatEta,
  type ProgressState,
  progressPayload,
} from "../src/progress.js";
import { runScan } from "../src/run-scan.js";
import { CLEAN, CRITICAL, runCli, WARNING, workspace } from "./harness.js";

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-cache-"));
  cleanup.push(directory);
  return directory;
}

async function entryFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const shard of await readdir(cacheDir).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(cacheDir, shard))) files.push(path.join(cacheDir, shard, name));
  }
  return files.sort();
}

/** The report without what legitimately differs between runs. */
function stable(json: string) {
  const report = JSON.parse(json);
  delete report.summary.durationMs;
  for (const file of report.files) delete file.durationMs;
  return report;
}

function withoutTiming(text: string) {
  const stored = JSON.parse(text);
  delete stored.digest;
  delete stored.result.entry.durationMs;
  return stored;
}

describe("progress", () => {
  it("shows bytes, files and an ETA from the byte rate", () => {
    const state = {
      phase: "scanning" as const,
      bytes: 256 * 1024 * 1024,
      totalBytes: 1024 * 1024 * 1024,
      files: 0,
      totalFiles: 1,
      file: "model.bin",
    };
    expect(progressPayload(state, 10_000)).toEqual({
      phase: "scanning",
      bytesText: "256.0 MiB/1.0 GiB",
      filesText: "0/1 files",
      etaText: "ETA 30s",
      file: "model.bin",
    });
    expect(etaMs(0, 100, 5_000)).toBeUndefined();
    expect(etaMs(100, 100, 5_000)).toBe(0);
    expect(formatEta(undefined)).toBe("--");
    expect(formatEta(125_000)).toBe("2m05s");
    expect(formatEta(3 * 3600_000 + 60_000)).toBe("3h01m");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
  });

  it("draws on the stream, restarts the ETA per phase and keeps control characters out", () => {
    let out = "";
    let clock = 0;
    const bar = createProgressBar({ write: (chunk: string) => (out += chunk) }, () => clock);
    bar.update({ phase: "hashing", bytes: 10, totalBytes: 100, files: 0, totalFiles: 2, file: "a\u001b[2J.bin" });
    clock = 1000;
    bar.update({ phase: "hashing", bytes: 50, totalBytes: 100, files: 1, totalFiles: 2, file: "a.bin" });
    bar.stop();
    expect(out).toContain("hashing [");
    expect(out).toContain("10 B/100 B 0/2 files ETA --");
    expect(out).toContain("a?[2J.bin");
    expect(out).not.toContain("\u001b[2J");
  });

  it("reports bytes and files on a terminal, nothing when stderr is not one", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN, "b.test": CRITICAL });
    const args = ["scan", dir, "--config", config, "--jobs", "1"];
    const tty = await runCli(args, { cwd: dir, isTTY: true });
    expect(tty.stderr).toMatch(/scanning \[.*\] \d+% [\d.]+ (B|KiB)\/[\d.]+ (B|KiB) \d\/3 files ETA/);
    const piped = await runCli(args, { cwd: dir, isTTY: false });
    expect(piped.stderr).toBe("");
    expect(piped.exitCode).toBe(1);
    const cached = await runCli([...args, "--cache", path.join(dir, ".cache"), "--quiet"], { cwd: dir, isTTY: true });
    expect(cached.stderr).toBe("");
    const hashing = await runCli([...args, "--cache", path.join(dir, ".cache2")], { cwd: dir, isTTY: true });
    expect(hashing.stderr).toMatch(/hashing \[/);
  });
});

describe("progress within files", () => {
  // A large model used to show no progress until it was finished: the byte pass reports as it reads,
  // on the main thread and from worker threads.
  it.each([1, 2])("moves by bytes before the first file is finished (%i thread(s))", async (threads) => {
    const { dir, config } = await workspace({});
    const MiB = 1024 * 1024;
    await writeFile(path.join(dir, "a.bin"), new Uint8Array(12 * MiB));
    await writeFile(path.join(dir, "b.bin"), new Uint8Array(12 * MiB));
    const setup = await loadSetup({ cwd: dir, configFile: config, overrides: { ignore: ["*.json"] } });
    const states: ProgressState[] = [];
    await runScan([dir], {
      setup,
      tool: { name: "test", version: "0" },
      threads,
      progress: { update: (state) => states.push({ ...state }), stop: () => undefined },
    });
    expect(states.every((state) => state.totalBytes === 24 * MiB && state.totalFiles === 2)).toBe(true);
    const beforeFirst = states.filter((state) => state.files === 0);
    expect(beforeFirst.some((state) => state.bytes > 0 && state.bytes < 12 * MiB)).toBe(true);
    expect(states.at(-1)).toMatchObject({ phase: "scanning", files: 2, bytes: 24 * MiB });
  });
});

describe("--cache", () => {
  it("reuses results of unchanged files, rescans changed ones, and reports the same", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN, "b.test": CRITICAL, "c.test": WARNING });
    const cacheDir = await tempDir();
    const args = ["scan", dir, "--config", config, "--format", "json", "--cache", cacheDir];
    const plain = await runCli(["scan", dir, "--config", config, "--format", "json"], { cwd: dir });

    const first = await runCli(args, { cwd: dir });
    expect(first.stderr).toBe("cache: 0 reused, 4 scanned\n");
    expect(first.exitCode).toBe(1);
    // test.config.json is scanned too: 4 files, 4 entries.
    expect(await entryFiles(cacheDir)).toHaveLength(4);

    const second = await runCli(args, { cwd: dir });
    expect(second.stderr).toBe("cache: 4 reused, 0 scanned\n");
    expect(second.exitCode).toBe(1);
    expect(stable(second.stdout)).toEqual(stable(first.stdout));
    expect(stable(second.stdout)).toEqual(stable(plain.stdout));

    // Same size, different bytes: the SHA-256 decides, not the size or the time.
    await writeFile(path.join(dir, "b.test"), CRITICAL.replace("BAD", "bad"));
    const third = await runCli(args, { cwd: dir });
    expect(third.stderr).toBe("cache: 3 reused, 1 scanned\n");
    // c.test still has its warning.
    expect(third.exitCode).toBe(1);
    const report = JSON.parse(third.stdout);
    expect(report.findings.filter((finding: { file: string }) => finding.file.endsWith("b.test"))).toEqual([]);
    const b = report.files.find((file: { path: string }) => file.path.endsWith("b.test"));
    expect(b.sha256).toBe(createHash("sha256").update(CRITICAL.replace("BAD", "bad")).digest("hex"));
  });

  it("stores clean files' checks as the run reports them: counted by default, listed with --verbose", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN, "b.test": CRITICAL });
    const cacheDir = await tempDir();
    for (const extra of [[], ["--verbose"]]) {
      const args = ["scan", dir, "--config", config, "--format", "json", ...extra];
      const plain = stable((await runCli(args, { cwd: dir })).stdout);
      const first = await runCli([...args, "--cache", cacheDir], { cwd: dir });
      expect(first.stderr).toBe("cache: 0 reused, 3 scanned\n");
      const second = await runCli([...args, "--cache", cacheDir], { cwd: dir });
      expect(second.stderr).toBe("cache: 3 reused, 0 scanned\n");
      expect(stable(first.stdout)).toEqual(plain);
      expect(stable(second.stdout)).toEqual(plain);
      const cleanChecks = plain.checks.filter((check: { file: string }) => check.file.endsWith("a.test"));
      // By default a clean file's bare checks are only counted; --verbose lists every one.
      if (extra.length === 0) expect(cleanChecks).toEqual([]);
      else expect(cleanChecks.length).toBeGreaterThan(0);
      expect(plain.summary.checks.passed).toBeGreaterThan(0);
    }
    // Each mode keeps its own entries: 3 files, twice.
    expect(await entryFiles(cacheDir)).toHaveLength(6);
  });

  it("misses when the plugins' settings change (level, rules, options)", async () => {
    const { dir, config } = await workspace({ "b.test": CRITICAL });
    const cacheDir = await tempDir();
    const base = ["scan", path.join(dir, "b.test"), "--config", config, "--cache", cacheDir];
    expect((await runCli(base, { cwd: dir })).stderr).toContain("0 reused, 1 scanned");
    expect((await runCli(base, { cwd: dir })).stderr).toContain("1 reused, 0 scanned");
    expect((await runCli([...base, "--level", "thorough"], { cwd: dir })).stderr).toContain("0 reused, 1 scanned");
    const disabled = await runCli([...base, "--disable-rule", "test/bad-value", "--format", "json"], { cwd: dir });
    expect(disabled.stderr).toContain("0 reused, 1 scanned");
    expect(JSON.parse(disabled.stdout).findings).toEqual([]);
    expect((await runCli([...base, "--disable-rule", "test/bad-value"], { cwd: dir })).stderr).toContain(
      "1 reused, 0 scanned",
    );
  });

  it("ignores corrupt or tampered entries and rewrites them", async () => {
    const { dir, config } = await workspace({ "b.test": CRITICAL });
    const cacheDir = await tempDir();
    const args = ["scan", path.join(dir, "b.test"), "--config", config, "--format", "json", "--cache", cacheDir];
    const first = await runCli(args, { cwd: dir });
    const [entry] = await entryFiles(cacheDir);
    const original = await readFile(entry!, "utf8");

    const corruptions = [
      "", // truncated to nothing
      original.slice(0, original.length / 2), // torn write
      "{not json",
      JSON.stringify({ ...JSON.parse(original), format: 999 }),
      // A "clean" result for the malicious file without a matching digest: never trusted.
      original.replace(/"outcome":"findings"/, '"outcome":"clean"'),
      JSON.stringify({ ...JSON.parse(original), result: { entry: null, findings: [], checks: [] } }),
    ];
    for (const corrupt of corruptions) {
      await writeFile(entry!, corrupt);
      const result = await runCli(args, { cwd: dir });
      expect(result.stderr).toBe("cache: 0 reused, 1 scanned\n");
      expect(result.exitCode).toBe(1);
      expect(stable(result.stdout)).toEqual(stable(first.stdout));
      // Rewritten with the fresh result (only the scan's duration and so the digest differ).
      expect(withoutTiming(await readFile(entry!, "utf8"))).toEqual(withoutTiming(original));
    }
  });

  it("an unwritable cache costs speed, never the scan", async () => {
    const { dir, config } = await workspace({ "b.test": CRITICAL });
    const blocker = path.join(await tempDir(), "file-not-dir");
    await writeFile(blocker, "x");
    const result = await runCli(["scan", path.join(dir, "b.test"), "--config", config, "--cache", blocker], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("cache: 0 reused, 1 scanned\n");
  });

  it("keeps the skipped entries and named inputs that are not files", async () => {
    const { dir, config } = await workspace({ "a.test": CLEAN }, { ignore: ["*.json"] });
    const cacheDir = await tempDir();
    const args = [
      "scan",
      dir,
      path.join(dir, "missing.test"),
      "--config",
      config,
      "--format",
      "json",
      "--cache",
      cacheDir,
    ];
    const plain = await runCli(args.slice(0, -2), { cwd: dir });
    for (let run = 0; run < 2; run++) {
      const result = await runCli(args, { cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(stable(result.stdout)).toEqual(stable(plain.stdout));
    }
  });
});

describe("ScanCache", () => {
  const result = (file: string, sha256: string): CachedResult => ({
    entry: {
      path: file,
      size: 1,
      formats: [],
      sha256,
      outcome: "clean" as const,
      reasons: [],
      members: 0,
      durationMs: 1,
    },
    findings: [],
    checks: [],
  });

  it("checks the entry is for the expected file and hash", async () => {
    const cache = new ScanCache(await tempDir());
    await cache.set("ab".repeat(32), result("/x/a.bin", "11"));
    expect(await cache.get("ab".repeat(32), { path: "/x/a.bin", sha256: "11" })).toEqual(result("/x/a.bin", "11"));
    expect(await cache.get("ab".repeat(32), { path: "/x/b.bin", sha256: "11" })).toBeUndefined();
    expect(await cache.get("ab".repeat(32), { path: "/x/a.bin", sha256: "22" })).toBeUndefined();
    expect(await cache.get("cd".repeat(32), { path: "/x/a.bin", sha256: "11" })).toBeUndefined();
  });

  it("marks a hit used only when its mark is old (a rescan rewrites no inodes)", async () => {
    const directory = await tempDir();
    const cache = new ScanCache(directory);
    const key = "e".repeat(64);
    const file = path.join(directory, "ee", `${key}.json`);
    await cache.set(key, result("/e", "00"));
    const { utimes } = await import("node:fs/promises");
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(file, minuteAgo, minuteAgo);
    expect(await cache.get(key, { path: "/e", sha256: "00" })).toBeDefined();
    // Not touched: still about a minute old (file times are not kept to the millisecond everywhere).
    expect((await stat(file)).mtimeMs).toBeLessThan(Date.now() - 30_000);
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    await utimes(file, dayAgo, dayAgo);
    expect(await cache.get(key, { path: "/e", sha256: "00" })).toBeDefined();
    expect((await stat(file)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it("is bounded: least recently used entries go, oversized entries are never written", async () => {
    const directory = await tempDir();
    const cache = new ScanCache(directory, { maxEntries: 2, maxBytes: 1024 * 1024, touchAfterMs: 0 });
    const keys = ["a", "b", "c"].map((letter) => letter.repeat(64));
    for (const [index, key] of keys.entries()) {
      await cache.set(key, result(`/f${index}`, "00"));
      const when = new Date(Date.now() - (10 - index) * 1000);
      const { utimes } = await import("node:fs/promises");
      await utimes(path.join(directory, key.slice(0, 2), `${key}.json`), when, when);
    }
    // A hit is a use: the oldest entry survives once read.
    expect(await cache.get(keys[0]!, { path: "/f0", sha256: "00" })).toBeDefined();
    await cache.evict();
    expect(await cache.get(keys[0]!, { path: "/f0", sha256: "00" })).toBeDefined();
    expect(await cache.get(keys[1]!, { path: "/f1", sha256: "00" })).toBeUndefined();
    expect(await cache.get(keys[2]!, { path: "/f2", sha256: "00" })).toBeDefined();

    const huge = result("/big", "00");
    huge.entry.reasons = ["x".repeat(MAX_ENTRY_BYTES)];
    await cache.set("d".repeat(64), huge);
    await expect(stat(path.join(directory, "dd", `${"d".repeat(64)}.json`))).rejects.toThrow();
  });
});
