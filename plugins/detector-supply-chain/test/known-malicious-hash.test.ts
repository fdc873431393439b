import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { picklescanCorpus, scanBytes, scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { KNOWN_BAD_HASHES } from "../src/known-bad-hashes.js";
import { encode, summary, supplyChainOptions, withHandlers } from "./helpers.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const corpus = picklescanCorpus();

describe("the built-in list", () => {
  it("holds lower-case SHA-256 digests, each once, with a name and a source", () => {
    expect(KNOWN_BAD_HASHES.length).toBeGreaterThan(0);
    for (const entry of KNOWN_BAD_HASHES) {
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.name.length).toBeGreaterThan(0);
      expect(entry.source).toBe("picklescan test corpus (MIT)");
    }
    expect(new Set(KNOWN_BAD_HASHES.map((entry) => entry.sha256)).size).toBe(KNOWN_BAD_HASHES.length);
  });
});

describe.skipIf(corpus === undefined)("the picklescan corpus, read in place", () => {
  const labels: Record<string, { verdict: string }> = corpus
    ? JSON.parse(readFileSync(path.join(corpus, "labels.json"), "utf8"))
    : {};
  const malicious = Object.keys(labels).filter((name) => labels[name]!.verdict === "malicious");
  const benign = Object.keys(labels).filter((name) => labels[name]!.verdict === "benign");

  it("the built-in list is exactly the digests of its malicious files", () => {
    const digests = new Set(malicious.map((name) => sha256(readFileSync(path.join(corpus!, name)))));
    expect(new Set(KNOWN_BAD_HASHES.map((entry) => entry.sha256))).toEqual(digests);
  });

  it("every malicious file is a critical known-malicious-hash finding (detector alone, no handlers)", async () => {
    const report = await scanPaths(
      malicious.map((name) => path.join(corpus!, name)),
      [plugin],
    );
    const flagged = new Set(
      report.findings.filter((finding) => finding.ruleId === "supply-chain/known-malicious-hash").map((f) => f.file),
    );
    expect(flagged.size).toBe(malicious.length);
    expect(report.findings.every((finding) => finding.severity === "critical")).toBe(true);
    expect(report.summary.exitCode).toBe(1);
  });

  it("no benign file is flagged", async () => {
    const report = await scanPaths(
      benign.map((name) => path.join(corpus!, name)),
      [...withHandlers],
    );
    expect(report.findings).toEqual([]);
  });

  it("the finding names the published sample", async () => {
    const report = await scanPaths([path.join(corpus!, "data/malicious0.pkl")], [plugin]);
    expect(report.findings[0]!.message).toMatch(
      /^the file's SHA-256 [0-9a-f]{64} is on the deny list: known malicious sample data\/malicious0\.pkl from the picklescan test corpus \(MIT\)$/,
    );
  });

  it("the quick level computes no digest, so it reports nothing", async () => {
    const report = await scanPaths([path.join(corpus!, "data/malicious0.pkl")], [plugin], { level: "quick" });
    expect(report.files[0]!.sha256).toBeNull();
    expect(report.findings).toEqual([]);
  });
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

  it("a Git LFS pointer whose object is denied is caught before anyone pulls it", async () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${digest}\nsize ${bytes.length}\n`;
    const report = await scanBytes(
      "model.bin",
      encode(pointer),
      [...withHandlers],
      supplyChainOptions({ denySha256: [digest] }),
    );
    expect(summary(report).sort()).toEqual([
      ["supply-chain/known-malicious-hash", "critical", "pointerToDenied"],
      ["supply-chain/lfs-pointer", "warning", "lfsPointer"],
    ]);
  });
});
