import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { walkPaths } from "../src/engine/walk.js";
import { FileSource } from "../src/source.js";
import { scanPaths } from "../src/testing/index.js";
import { toyPlugin } from "./test-plugin.js";

/** A FIFO made by the system's mkfifo (Node has no API for it); undefined where there is none. */
function makeFifo(filePath: string): boolean {
  try {
    execFileSync("mkfifo", [filePath], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const hasDevZero = existsSync("/dev/zero") && existsSync("/dev/null");
// Root reads anything: a permission test there would prove nothing.
const canDenyPermission = process.platform !== "win32" && process.getuid?.() !== 0;

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-skip-"));
  await writeFile(path.join(directory, "readme.txt"), "hello");
});
afterEach(async () => {
  await chmod(directory, 0o700).catch(() => {});
  await rm(directory, { recursive: true, force: true });
});

const skippedBelow = (report: { skipped: { path: string; reason: string }[] }) =>
  report.skipped.map((entry) => [path.relative(directory, entry.path), entry.reason]);

describe("skipped inputs are listed with why", () => {
  it("lists a FIFO below a named directory without opening it, and the exit code stays 0", async (context) => {
    if (!makeFifo(path.join(directory, "pipe.pkl"))) context.skip();
    // Opening a FIFO with no writer blocks forever: finishing at all shows it was never opened.
    const report = await scanPaths([directory], [toyPlugin]);
    expect(skippedBelow(report)).toEqual([["pipe.pkl", "FIFO (named pipe), not a regular file: never opened"]]);
    expect(report.files.map((file) => path.basename(file.path))).toEqual(["readme.txt"]);
    expect(report.summary.skipped).toBe(1);
    expect(report.summary.exitCode).toBe(0);
  });

  it("makes a FIFO named on the command line inconclusive (exit 2)", async (context) => {
    const fifo = path.join(directory, "pipe.pkl");
    if (!makeFifo(fifo)) context.skip();
    const report = await scanPaths([fifo, path.join(directory, "readme.txt")], [toyPlugin]);
    expect(report.files.find((file) => file.path === fifo)).toMatchObject({
      outcome: "inconclusive",
      reasons: ["FIFO (named pipe), not a regular file: never opened"],
      size: 0,
      sha256: null,
    });
    expect(report.summary.exitCode).toBe(2);
  });

  it.runIf(hasDevZero)("never reads /dev/zero or /dev/null named on the command line", async () => {
    const report = await scanPaths(["/dev/zero", "/dev/null"], [toyPlugin]);
    expect(report.files.map((file) => [file.path, file.outcome, file.reasons])).toEqual([
      ["/dev/null", "inconclusive", ["character device, not a regular file: never opened"]],
      ["/dev/zero", "inconclusive", ["character device, not a regular file: never opened"]],
    ]);
    expect(report.skipped).toEqual([]);
    expect(report.summary.exitCode).toBe(2);
  });

  it.runIf(hasDevZero)("lists a link to /dev/zero below a named directory, saying where it points", async () => {
    await symlink("/dev/zero", path.join(directory, "zeros.bin"));
    const report = await scanPaths([directory], [toyPlugin]);
    expect(skippedBelow(report)).toEqual([
      ["zeros.bin", 'symbolic link to "/dev/zero": character device, not a regular file: never opened'],
    ]);
    expect(report.summary.exitCode).toBe(0);
  });

  it("lists a linked directory it does not follow, and follows one named on the command line", async () => {
    await mkdir(path.join(directory, "real"));
    await writeFile(path.join(directory, "real", "a.toy"), "TOY\nimport numpy ndarray");
    await symlink(path.join(directory, "real"), path.join(directory, "linked"));
    const report = await scanPaths([directory], [toyPlugin]);
    expect(skippedBelow(report)).toEqual([
      ["linked", `symbolic link to directory ${JSON.stringify(path.join(directory, "real"))}, not followed`],
    ]);
    expect(report.files.map((file) => path.relative(directory, file.path))).toEqual(["readme.txt", "real/a.toy"]);

    const named = await scanPaths([path.join(directory, "linked")], [toyPlugin]);
    expect(named.files.map((file) => path.relative(directory, file.path))).toEqual(["linked/a.toy"]);
    expect(named.skipped).toEqual([]);
  });

  it("still scans a link to a file, and lists a dangling link without failing the scan", async () => {
    await writeFile(path.join(directory, "a.toy"), "TOY\nimport numpy ndarray");
    await symlink("a.toy", path.join(directory, "b.toy"));
    await symlink("gone.pkl", path.join(directory, "dangling.pkl"));
    const report = await scanPaths([directory], [toyPlugin]);
    expect(report.files.map((file) => path.basename(file.path))).toEqual(["a.toy", "b.toy", "readme.txt"]);
    expect(skippedBelow(report)).toEqual([
      ["dangling.pkl", 'symbolic link to "gone.pkl", which does not exist (dangling link), not followed'],
    ]);
    expect(report.summary.exitCode).toBe(0);

    // Named on the command line, the same link is an input that cannot be read: exit 2, as a missing path.
    const named = await scanPaths([path.join(directory, "dangling.pkl")], [toyPlugin]);
    expect(named.files[0]).toMatchObject({
      outcome: "error",
      reasons: ["path does not exist or cannot be read (it does not exist)"],
    });
    expect(named.summary.exitCode).toBe(2);
  });

  it("lists ignored paths with the pattern that matched, and does not descend into them", async () => {
    await mkdir(path.join(directory, "cache", "deep"), { recursive: true });
    await writeFile(path.join(directory, "cache", "deep", "x.pkl"), "anything");
    await writeFile(path.join(directory, "notes.log"), "log");
    const report = await scanPaths([directory], [toyPlugin], { ignore: ["*.log", "cache"] });
    expect(skippedBelow(report)).toEqual([
      ["cache", 'ignored by pattern "cache"'],
      ["notes.log", 'ignored by pattern "*.log"'],
    ]);
    expect(report.files.map((file) => path.basename(file.path))).toEqual(["readme.txt"]);
  });

  it("matches ignore patterns relative to each scan root, and brings back a !pattern", async () => {
    for (const root of ["one", "two"]) {
      await mkdir(path.join(directory, root, "tests"), { recursive: true });
      await writeFile(path.join(directory, root, "tests", "drop.pkl"), "x");
      await writeFile(path.join(directory, root, "tests", "keep.pkl"), "x");
      await writeFile(path.join(directory, root, "model.pkl"), "x");
    }
    const roots = [path.join(directory, "one"), path.join(directory, "two")];
    const report = await scanPaths(roots, [toyPlugin], { ignore: ["/tests/*", "!tests/keep.pkl"] });
    expect(skippedBelow(report)).toEqual([
      ["one/tests/drop.pkl", 'ignored by pattern "/tests/*"'],
      ["two/tests/drop.pkl", 'ignored by pattern "/tests/*"'],
    ]);
    expect(report.files.map((file) => path.relative(directory, file.path))).toEqual([
      "one/model.pkl",
      "one/tests/keep.pkl",
      "two/model.pkl",
      "two/tests/keep.pkl",
    ]);
    // Relative to the root, not to the working directory or the parent: "one/tests/*" matches nothing here.
    const anchored = await scanPaths([directory], [toyPlugin], { ignore: ["tests/*"] });
    expect(skippedBelow(anchored)).toEqual([]);
  });

  it("lists empty directories, nested or named", async () => {
    await mkdir(path.join(directory, "empty", "inner"), { recursive: true });
    const report = await scanPaths([directory], [toyPlugin]);
    expect(skippedBelow(report)).toEqual([["empty/inner", "empty directory"]]);
    expect(report.summary.exitCode).toBe(0);

    const named = await scanPaths([path.join(directory, "empty", "inner")], [toyPlugin]);
    expect(skippedBelow(named)).toEqual([["empty/inner", "empty directory"]]);
    // Nothing scanned at all is still exit 2, as before.
    expect(named.summary.exitCode).toBe(2);
  });

  it("says why a named path is missing (exit 2, as before)", async () => {
    const report = await scanPaths([path.join(directory, "nope.pt"), directory], [toyPlugin]);
    expect(report.files.find((file) => file.path.endsWith("nope.pt"))).toMatchObject({
      outcome: "error",
      reasons: ["path does not exist or cannot be read (it does not exist)"],
    });
    expect(report.summary.exitCode).toBe(2);
  });

  it.runIf(canDenyPermission)("reports an unreadable directory as an error that says permission denied", async () => {
    await mkdir(path.join(directory, "locked"));
    await writeFile(path.join(directory, "locked", "model.pkl"), "hidden");
    await chmod(path.join(directory, "locked"), 0o000);
    try {
      const report = await scanPaths([directory], [toyPlugin]);
      expect(report.files.find((file) => file.path.endsWith("locked"))).toMatchObject({
        outcome: "error",
        reasons: ["path does not exist or cannot be read (permission denied)"],
      });
      expect(report.summary.exitCode).toBe(2);
    } finally {
      await chmod(path.join(directory, "locked"), 0o700);
    }
  });

  it("lists the same file reached under two spellings once, scanned once", async () => {
    const plain = path.join(directory, "readme.txt");
    const walked = await walkPaths([plain, `${directory}/./readme.txt`]);
    expect(walked.files.map((file) => file.path)).toEqual([plain]);
    expect(walked.skipped).toEqual([
      { path: `${directory}/./readme.txt`, reason: `same file as ${plain}, scanned once` },
    ]);
  });

  it("orders skipped entries by path whatever order the walk found them in", async () => {
    await mkdir(path.join(directory, "b-empty"));
    await mkdir(path.join(directory, "a-empty"));
    const report = await scanPaths([path.join(directory, "b-empty"), path.join(directory, "a-empty")], [toyPlugin]);
    expect(skippedBelow(report).map(([entry]) => entry)).toEqual(["a-empty", "b-empty"]);
  });
});

describe("a file swapped for a special file after the walk", () => {
  it("is refused when read, never blocking on a FIFO without a writer", async (context) => {
    const fifo = path.join(directory, "model.pkl");
    if (!makeFifo(fifo)) context.skip();
    // The walk saw a 10-byte regular file here; what is read now is a FIFO.
    const source = new FileSource(fifo, 10);
    await expect(source.read(0, 10)).rejects.toThrow("is no longer a regular file");
    await source.close();
  });
});
