import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { factsBytes, factsPlugin, picklescanCorpus, scanBytes, scanPaths } from "@modelaudit/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { parseFeed } from "../src/hashdb/feed.js";
import { HashDatabase } from "../src/hashdb/hash-database.js";
import plugin from "../src/index.js";
import { encode, summary, supplyChainOptions, withHandlers } from "./helpers.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const corpus = picklescanCorpus();
const FEED = new URL("../feeds/picklescan-test-corpus.csv", import.meta.url);

const directory = mkdtempSync(path.join(tmpdir(), "modelaudit-hashdb-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A database file holding the given feed text, written and closed (as `modelaudit hashdb import` leaves it). */
function databaseWith(name: string, feed: string): string {
  const file = path.join(directory, `${name}.sqlite`);
  const database = HashDatabase.openWritable(file);
  database.import(parseFeed(feed, name));
  database.close();
  return file;
}

describe("the picklescan test-corpus feed", () => {
  const entries = parseFeed(readFileSync(FEED, "utf8"), "picklescan-test-corpus.csv");

  it("lists each digest once, malicious and benign, each with its source", () => {
    expect(entries.filter((entry) => entry.verdict === "malicious").length).toBe(94);
    expect(entries.filter((entry) => entry.verdict === "benign").length).toBeGreaterThan(0);
    expect(new Set(entries.map((entry) => entry.sha256)).size).toBe(entries.length);
    for (const entry of entries) expect(entry.source).toMatch(/^picklescan test corpus \(MIT\): data/);
  });

  describe.skipIf(corpus === undefined)("against the corpus, read in place", () => {
    const labels: Record<string, { verdict: string }> = corpus
      ? JSON.parse(readFileSync(path.join(corpus, "labels.json"), "utf8"))
      : {};
    const named = (verdict: string) => Object.keys(labels).filter((name) => labels[name]!.verdict === verdict);
    const database = databaseWith("corpus", readFileSync(FEED, "utf8"));

    it("holds exactly the digests of the corpus's labelled files", () => {
      const digests = new Set(Object.keys(labels).map((name) => sha256(readFileSync(path.join(corpus!, name)))));
      expect(new Set(entries.map((entry) => entry.sha256))).toEqual(digests);
    });

    it("every malicious file is a critical finding naming its source (detector alone, no handlers)", async () => {
      const malicious = named("malicious");
      const report = await scanPaths(
        malicious.map((name) => path.join(corpus!, name)),
        [plugin],
        supplyChainOptions({ hashdb: database }),
      );
      // Variants of one sample are also near-copies of each other (the feed's ssdeep column): test/near-copy.test.ts.
      const exact = report.findings.filter((finding) => finding.ruleId === "supply-chain/known-malicious-hash");
      const flagged = new Set(exact.map((finding) => finding.file));
      expect(flagged.size).toBe(malicious.length);
      expect(exact.every((finding) => finding.messageId === "knownMalicious")).toBe(true);
      const zero = report.findings.find((finding) => finding.file.endsWith("data/malicious0.pkl"))!;
      expect(zero.message).toBe(
        `the file's SHA-256 ${zero.evidence} is listed malicious by picklescan test corpus (MIT): data/malicious0.pkl`,
      );
    });

    it("a benign file is recorded on the check, not a finding", async () => {
      const report = await scanPaths(
        named("benign").map((name) => path.join(corpus!, name)),
        [...withHandlers],
        supplyChainOptions({ hashdb: database }),
      );
      expect(report.findings).toEqual([]);
      const checks = report.checks.filter((check) => check.ruleId === "supply-chain/known-malicious-hash");
      expect(checks.every((check) => check.status === "passed" && check.notes?.[0]?.includes("listed benign"))).toBe(
        true,
      );
    });
  });
});

describe("the known-hash database in a scan", () => {
  const payload = encode("weights that an incident report named\n");
  const digest = sha256(payload);
  const benign = encode("a config everyone ships\n");
  const feed = `sha256,verdict,source\n${digest},malicious,"INC-7, the poisoned mirror"\n${sha256(benign)},benign,vendor list\n`;
  // outer (the file) > archive.zip > weights.bin: digests come from the engine's one pass.
  const nested = factsBytes({
    children: [
      {
        name: "archive.zip",
        description: { children: [{ name: "weights.bin", text: "weights that an incident report named\n" }] },
      },
      { name: "config.json", text: "a config everyone ships\n" },
    ],
  });

  it("a known-bad digest of a nested member is critical, with the member chain and the source", async () => {
    const hashdb = databaseWith("nested", feed);
    const report = await scanBytes("model.bin", nested, [plugin, factsPlugin], supplyChainOptions({ hashdb }));
    expect(summary(report)).toEqual([["supply-chain/known-malicious-hash", "critical", "knownMalicious"]]);
    const finding = report.findings[0]!;
    expect(finding.memberChain).toEqual(["archive.zip", "weights.bin"]);
    expect(finding.message).toBe(
      `member archive.zip > weights.bin's SHA-256 ${digest} is listed malicious by INC-7, the poisoned mirror`,
    );
    const check = report.checks.find((item) => item.ruleId === "supply-chain/known-malicious-hash")!;
    expect(check.status).toBe("failed");
    expect(check.notes).toEqual([
      `member config.json's SHA-256 ${sha256(benign)} is listed benign by vendor list (recorded only: it silences nothing)`,
    ]);
  });

  it("a benign listing never silences another finding on the same file", async () => {
    const hashdb = databaseWith("both", `sha256,verdict,source\n${digest},benign,a careless list\n`);
    const report = await scanBytes(
      "weights.bin",
      payload,
      [plugin],
      supplyChainOptions({ hashdb, denySha256: [{ sha256: digest, reason: "INC-7" }] }),
    );
    expect(summary(report)).toEqual([["supply-chain/known-malicious-hash", "critical", "denied"]]);
  });

  it("the database survives reopening: a new connection sees what the import wrote", () => {
    const file = databaseWith("reopen", feed);
    const reopened = HashDatabase.openReadOnly(file);
    expect(reopened.lookup(digest)).toEqual([{ verdict: "malicious", source: "INC-7, the poisoned mirror" }]);
    expect(reopened.stats()).toMatchObject({ total: 2, malicious: 1, benign: 1 });
    reopened.close();
  });

  it("an import is all or nothing, and a source's later verdict replaces its earlier one", () => {
    const file = path.join(directory, "upsert.sqlite");
    const database = HashDatabase.openWritable(file);
    expect(database.import(parseFeed(feed))).toBe(2);
    expect(database.import(parseFeed(feed))).toBe(0);
    expect(database.import(parseFeed(`sha256,verdict,source\n${digest},benign,"INC-7, the poisoned mirror"\n`))).toBe(
      1,
    );
    expect(database.lookup(digest)).toEqual([{ verdict: "benign", source: "INC-7, the poisoned mirror" }]);
    database.close();
  });

  it("a database that cannot be read makes the file inconclusive, never clean", async () => {
    const report = await scanBytes(
      "model.bin",
      payload,
      [plugin],
      supplyChainOptions({ hashdb: path.join(directory, "missing.sqlite") }),
    );
    expect(report.files[0]!.outcome).toBe("inconclusive");
    expect(report.files[0]!.reasons.join("\n")).toMatch(/known-hash database could not be read/);
    expect(report.summary.exitCode).toBe(2);
  });

  it("without a database or deny list, members are not hashed (no extra reads)", async () => {
    const report = await scanBytes("model.bin", nested, [plugin, factsPlugin]);
    expect(report.findings).toEqual([]);
    expect(report.files[0]).not.toHaveProperty("memberDigests");
  });
});

describe("feeds", () => {
  const digest = "ab".repeat(32);
  it("CSV: header, quoted sources, CRLF, blank lines, sha256: prefix, any case", () => {
    expect(
      parseFeed(`\uFEFFsha256,verdict,source\r\nsha256:${digest.toUpperCase()},malicious,"a, b ""c"""\r\n\r\n`),
    ).toEqual([{ sha256: digest, verdict: "malicious", source: 'a, b "c"' }]);
  });

  it("JSON: an array of the same objects", () => {
    expect(parseFeed(JSON.stringify([{ sha256: digest, verdict: "benign", source: "s" }]))).toEqual([
      { sha256: digest, verdict: "benign", source: "s" },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ["no header", `${digest},malicious,s\n`, /first line must be the header sha256,verdict,source/],
    ["a bad digest", "sha256,verdict,source\nabc,malicious,s\n", /feed:2: sha256 must be a 64-hex/],
    ["a bad verdict", `sha256,verdict,source\n${digest},evil,s\n`, /feed:2: verdict must be malicious or benign/],
    ["a missing field", `sha256,verdict,source\n${digest},benign\n`, /feed:2: expected 3 fields, got 2/],
    ["an empty source", `sha256,verdict,source\n${digest},benign,\n`, /feed:2: source must be a non-empty/],
    ["an open quote", `sha256,verdict,source\n${digest},benign,"s\n`, /feed:2: a quoted field is not closed/],
    [
      "JSON with an unknown field",
      `[{"sha256":"${digest}","verdict":"benign","source":"s","x":1}]`,
      /feed\[0\]: unknown field "x"/,
    ],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name}`, () => expect(() => parseFeed(text)).toThrow(message));
  }
});

describe("options.denySha256", () => {
  const bytes = encode("a synthetic model file that some advisory named\n");
  const digest = sha256(bytes);

  const table: [string, unknown[], string | null][] = [
    ["a plain digest", [digest], "listed in options.denySha256"],
    ["an upper-case digest with a sha256: prefix", [`sha256:${digest.toUpperCase()}`], "listed in options.denySha256"],
    [
      "{ sha256, reason }",
      [{ sha256: digest, reason: "INC-1234 poisoned checkpoint" }],
      "INC-1234 poisoned checkpoint",
    ],
    ["another digest only", ["0".repeat(64)], null],
  ];
  for (const [name, denySha256, reason] of table) {
    it(`${name}: ${reason ?? "no finding"}`, async () => {
      const report = await scanBytes("model.bin", bytes, [plugin], supplyChainOptions({ denySha256 }));
      if (reason === null) {
        expect(report.findings).toEqual([]);
        return;
      }
      expect(summary(report)).toEqual([["supply-chain/known-malicious-hash", "critical", "denied"]]);
      expect(report.findings[0]!.message).toBe(`the file's SHA-256 ${digest} is on the deny list: ${reason}`);
      expect(report.findings[0]!.evidence).toBe(digest);
    });
  }

  it("a Git LFS pointer whose object is denied, or listed malicious, is caught before anyone pulls it", async () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${digest}\nsize ${bytes.length}\n`;
    const hashdb = databaseWith("pointer", `sha256,verdict,source\n${digest},malicious,INC-9\n`);
    const report = await scanBytes(
      "model.bin",
      encode(pointer),
      [...withHandlers],
      supplyChainOptions({ denySha256: [digest], hashdb }),
    );
    expect(summary(report).sort()).toEqual([
      ["supply-chain/known-malicious-hash", "critical", "pointerToDenied"],
      ["supply-chain/known-malicious-hash", "critical", "pointerToKnownMalicious"],
      ["supply-chain/lfs-pointer", "warning", "lfsPointer"],
    ]);
  });

  it("the quick level computes no digest, so it reports nothing", async () => {
    const report = await scanBytes("model.bin", bytes, [plugin], {
      ...supplyChainOptions({ denySha256: [digest] }),
      level: "quick",
    });
    expect(report.files[0]!.sha256).toBeNull();
    expect(report.findings).toEqual([]);
  });
});
