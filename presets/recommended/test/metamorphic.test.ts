import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { compareSeverity, type Severity } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";
import { rewrites } from "./pickle-rewriter.js";

// Every malicious pickle fixture, rewritten in every payload-preserving way the rewriter knows
// (checked once against CPython's C and Python unpicklers with a recording find_class: each rewrite
// reaches the same globals), must still be flagged: as a raw pickle, as the data.pkl of a PyTorch
// zip and as a zlib-compressed joblib file. A rewrite that scans clean is a parser differential.

const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle");

interface Entry {
  file: string;
  expect: string;
  maxSeverity: Severity | null;
  rules: string[];
}

const sources = (JSON.parse(readFileSync(path.join(fixtures, "manifest.json"), "utf8")) as Entry[]).filter(
  (entry) =>
    entry.expect === "findings" &&
    /\.(pkl|dill)$/.test(entry.file) &&
    // Its payload is the frame differential itself: rewrites that drop frames remove it.
    !entry.rules.includes("code-execution/parser-differential"),
);

/** A stored zip with the members PyTorch's writer puts first. */
function torchZip(pickle: Uint8Array): Uint8Array {
  const members: [string, Uint8Array][] = [
    ["archive/data.pkl", pickle],
    ["archive/version", new TextEncoder().encode("3\n")],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, Buffer.from(data));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTAINERS: [name: string, extension: string, wrap: (pickle: Uint8Array) => Uint8Array][] = [
  ["raw pickle", ".pkl", (pickle) => pickle],
  ["PyTorch zip", ".pt", torchZip],
  ["zlib joblib", ".joblib", (pickle) => deflateSync(pickle)],
];

interface Case {
  source: Entry;
  rewrite: string;
  container: string;
  file: string;
}

let directory: string;
const cases: Case[] = [];
let report: Report;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "modelaudit-metamorphic-"));
  for (const source of sources) {
    const data = new Uint8Array(readFileSync(path.join(fixtures, source.file)));
    rewrites(data).forEach((rewrite, index) => {
      for (const [container, extension, wrap] of CONTAINERS) {
        const folder = path.join(directory, source.file);
        mkdirSync(folder, { recursive: true });
        const file = path.join(folder, `${index}-${container.replace(/ /g, "-")}${extension}`);
        writeFileSync(file, wrap(rewrite.bytes));
        cases.push({ source, rewrite: rewrite.name, container, file });
      }
    });
  }
  report = await scanPaths([directory], [preset]);
}, 600_000);

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 120_000);

describe("metamorphic pickle rewrites", () => {
  it("has rewrites of every malicious raw pickle fixture", () => {
    expect(sources.length).toBeGreaterThanOrEqual(40);
    expect(cases.length).toBeGreaterThan(sources.length * 3 * 60);
  });

  it("flags every rewrite in every container at the original's severity", () => {
    const worst = new Map<string, Severity>();
    for (const finding of report.findings) {
      const previous = worst.get(finding.file);
      if (!previous || compareSeverity(finding.severity, previous) < 0) worst.set(finding.file, finding.severity);
    }
    const missed = cases
      .filter((entry) => {
        const severity = worst.get(entry.file);
        return !severity || compareSeverity(severity, entry.source.maxSeverity as Severity) > 0;
      })
      .map(
        (entry) => `${entry.source.file} / ${entry.rewrite} / ${entry.container}: ${worst.get(entry.file) ?? "clean"}`,
      );
    expect(missed).toEqual([]);
  });
});
