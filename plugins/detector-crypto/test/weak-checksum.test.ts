import type { TextFact } from "@modelaudit/core";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { encode, scanFacts, summary } from "./helpers.js";

const MD5 = "9e107d9d372bb6826bd81d3542a419d6";
const SHA1 = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12";
const SHA256 = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";

describe("crypto/weak-checksum over text facts", () => {
  const table: [string, Omit<TextFact, "kind">, "MD5" | "SHA-1" | null][] = [
    ["a sha1 key with 40 hex", { key: "weights.sha1", text: SHA1, role: "config" }, "SHA-1"],
    ["a sha-1 key with 40 hex", { key: "files[0].sha-1", text: SHA1, role: "metadata" }, "SHA-1"],
    ["an md5 key with 32 hex (upper case)", { key: "md5", text: MD5.toUpperCase(), role: "config" }, "MD5"],
    ["an md5sum key", { key: "weights_md5sum", text: MD5 }, "MD5"],
    ["md5: prefix under a checksum key", { key: "weights_checksum", text: `md5:${MD5}`, role: "config" }, "MD5"],
    ["sha1: prefix under a digest key", { key: "digest", text: `sha1:${SHA1}` }, "SHA-1"],
    ["SRI sha1- under an integrity key", { key: "integrity", text: "sha1-L9ThxnotKPzthJ7hu3bnORuT6xI=" }, "SHA-1"],
    ["SRI md5- under an integrity key", { key: "integrity", text: "md5-nhB9nTcrtoJr2B01QqQZ1g==" }, "MD5"],
    ["a sha256 key with 64 hex", { key: "weights.sha256", text: SHA256, role: "config" }, null],
    ["sha256: prefix", { key: "checksum", text: `sha256:${SHA256}` }, null],
    ["40 hex under a key that does not name SHA-1", { key: "checksum", text: SHA1 }, null],
    ["32 hex under a key that does not name MD5", { key: "hash", text: MD5 }, null],
    ["md5: prefix with a SHA-1-length value", { key: "checksum", text: `md5:${SHA1}` }, null],
    ["a git revision (_commit_hash)", { key: "_commit_hash", text: SHA1, role: "config" }, null],
    ["a git sha1 revision", { key: "git_sha1", text: SHA1 }, null],
    ["a sha1 key holding prose", { key: "sha1", text: `see ${SHA1} for details` }, null],
    ["an md5 key in the vocabulary", { key: "md5", text: MD5, role: "vocabulary" }, null],
    ["an md5 value without a key", { text: `md5:${MD5}` }, null],
    ["an md5 value under an unrelated key", { key: "description", text: `md5:${MD5}` }, null],
  ];
  for (const [name, fact, algorithm] of table) {
    it(`${name}: ${algorithm ?? "nothing"}`, async () => {
      const report = await scanFacts([{ kind: "text", ...fact }]);
      if (algorithm === null) {
        expect(report.findings).toEqual([]);
        return;
      }
      expect(summary(report)).toEqual([["crypto/weak-checksum", "warning", "weakChecksum"]]);
      expect(report.findings[0]!.message).toBe(`${fact.key} checks integrity with ${algorithm}, a broken hash`);
      expect(report.findings[0]!.location).toEqual({ path: fact.key });
      expect(report.findings[0]!.evidence).toBe(fact.text);
    });
  }

  it.each([
    ["__metadata__.dataset_md5", MD5],
    ["train_data_checksum", `md5:${MD5}`],
    ['checksums["train.parquet"]', `md5:${MD5}`],
    ["eval_sha1", SHA1],
  ])("a digest of training data under %s is a note", async (key, text) => {
    const report = await scanFacts([{ kind: "text", key, text, role: "metadata" }]);
    expect(summary(report)).toEqual([["crypto/weak-checksum", "info", "dataChecksum"]]);
  });

  it("a digest of the weights stays a warning even in training metadata", async () => {
    const report = await scanFacts([{ kind: "text", key: "__metadata__.weights_md5", text: MD5, role: "metadata" }]);
    expect(summary(report)).toEqual([["crypto/weak-checksum", "warning", "weakChecksum"]]);
  });

  it("keeps the fact's own location", async () => {
    const report = await scanFacts([{ kind: "text", key: "md5", text: MD5, location: { path: "files[2].md5" } }]);
    expect(report.findings[0]!.location).toEqual({ path: "files[2].md5" });
  });
});

describe("crypto/weak-checksum over checksum files", () => {
  const SHA1_LINE = `${SHA1}  model.safetensors\n`;
  it.each([
    ["MD5SUMS", `${MD5}  model.safetensors\n${MD5} *tokenizer.json\n`, ["MD5", "MD5"]],
    ["model.safetensors.md5", `${MD5}  model.safetensors\n`, ["MD5"]],
    ["SHA1SUMS", SHA1_LINE, ["SHA-1"]],
    ["checksums.txt", `MD5 (model.safetensors) = ${MD5}\nSHA1 (config.json) = ${SHA1}\n`, ["MD5", "SHA-1"]],
    ["checksums.txt", `${MD5}  model.safetensors\n`, ["MD5"]],
  ])("%s lists weak digests", async (name, text, algorithms) => {
    const report = await scanBytes(name, encode(text), [plugin]);
    expect(report.findings.every((finding) => finding.messageId === "checksumFile")).toBe(true);
    const found = report.findings.map(
      (finding) => /^the checksum file lists \S+ with an (MD5|SHA-1) digest, a broken hash$/.exec(finding.message)?.[1],
    );
    expect(found.sort()).toEqual([...algorithms].sort());
  });

  it.each([
    ["SHA256SUMS", `${SHA256}  model.safetensors\n`],
    ["MD5SUMS", `${SHA1}  model.safetensors\n`],
    ["SHA1SUMS", `${MD5}  model.safetensors\n`],
    ["notes.txt", `${MD5}  model.safetensors\n`],
    ["checksums.txt", `SHA256 (model.safetensors) = ${SHA256}\n`],
  ])("%s: nothing", async (name, text) => {
    const report = await scanBytes(name, encode(text), [plugin]);
    expect(report.findings).toEqual([]);
  });
});
