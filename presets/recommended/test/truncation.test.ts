import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";
import { disassemble } from "./pickle-rewriter.js";

// A malicious file cut short anywhere is inconclusive or flagged, never clean: a loader given the
// cut file fails, but the scanner cannot know what the missing bytes would have run.

const fixturesRoot = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

interface Entry {
  file: string;
  expect: string;
  maxSeverity: string | null;
  rules: string[];
}

/**
 * A cut that lands exactly after a STOP leaves whole pickles (`N.` of `N.` + payload): a valid file
 * that runs nothing, and nothing in it says it was cut. Those prefixes are not cases.
 */
function wholeStreams(prefix: Uint8Array): boolean {
  let position = 0;
  while (position < prefix.length) {
    const stream = disassemble(prefix, position);
    if (!stream) return false;
    position = stream.end;
  }
  return true;
}

const MODEL_NAME = /\.(pkl|pickle|p|dill|joblib|sav|pt|pth|ckpt|bin|npy|npz)(\.(gz|bz2|xz|lzma|zst|lz4|z))?$/i;
/** Shortest prefix of a neutrally named file that must still be recognised (magic numbers and headers fit). */
const UNIDENTIFIABLE_PREFIX = 24;

/** Cut points: every one of the first 64 bytes, then 64 spread over the rest. */
function cutPoints(size: number): number[] {
  const points = new Set<number>();
  for (let cut = 1; cut < Math.min(size, 64); cut++) points.add(cut);
  for (let step = 0; step < 64; step++) points.add(Math.floor(64 + ((size - 64) * step) / 64));
  return [...points].filter((cut) => cut > 0 && cut < size).sort((a, b) => a - b);
}

const FAMILIES = ["pickle", "differential-pickle", "differential-joblib", "differential-torch", "differential-npz"];

interface Case {
  source: string;
  cut: number;
  file: string;
}

let directory: string;
const cases: Case[] = [];
let report: Report;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "modelaudit-truncation-"));
  for (const family of FAMILIES) {
    const manifestPath = path.join(fixturesRoot, family, "manifest.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Entry[];
    for (const entry of manifest) {
      if (entry.expect !== "findings" || entry.maxSeverity !== "critical") continue;
      const data = readFileSync(path.join(fixturesRoot, family, entry.file));
      const folder = path.join(directory, family, entry.file.replace(/\//g, "_"));
      mkdirSync(folder, { recursive: true });
      const modelNamed = MODEL_NAME.test(entry.file);
      for (const cut of cutPoints(data.length)) {
        if (wholeStreams(data.subarray(0, cut))) continue;
        // A few bytes of a file whose name does not say model (`x.dat`) cannot be told from any
        // other short file: they are unrecognised, not a cut model.
        if (!modelNamed && cut < UNIDENTIFIABLE_PREFIX) continue;
        const file = path.join(folder, `${cut}-${path.basename(entry.file)}`);
        writeFileSync(file, data.subarray(0, cut));
        cases.push({ source: `${family}/${entry.file}`, cut, file });
      }
    }
  }
  report = await scanPaths([directory], [preset]);
}, 600_000);

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 120_000);

describe("truncated malicious files", () => {
  it("has cut files", () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  it("are never clean", () => {
    const outcomes = new Map(report.files.map((file) => [file.path, file.outcome]));
    const clean = cases
      .filter((entry) => outcomes.get(entry.file) === "clean")
      .map((entry) => `${entry.source} cut at ${entry.cut}`);
    expect(clean).toEqual([]);
  });
});
