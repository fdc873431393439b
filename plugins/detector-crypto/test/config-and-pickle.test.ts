import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Fact } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin, { judgeConfigValue, keyMaterialBytes } from "../src/index.js";
import { cryptoOptions, scanFacts, summary } from "./helpers.js";

const HEX_16 = "00112233445566778899aabbccddeeff";
const text = (key: string, value: string): Fact => ({ kind: "text", key, text: value, role: "config" });

describe("config values", () => {
  it.each([
    [HEX_16, 16],
    ["0x" + HEX_16 + HEX_16, 32],
    ["ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=", 32],
    ["AAECAwQFBgcICQoLDA0ODw==", 16],
    ["absolute", null],
    ["bert-base-uncased", null],
    ["AttentionMaskKey", null],
  ])("keyMaterialBytes(%s) = %s", (value, bytes) => {
    expect(keyMaterialBytes(value)).toBe(bytes);
  });

  it.each([
    ["encryption.key", HEX_16, { kind: "key", field: "key", bytes: 16 }],
    ["encryption_key", HEX_16, { kind: "key", field: "key", bytes: 16 }],
    ["security.aes_key", "AAECAwQFBgcICQoLDA0ODw==", { kind: "key", field: "key", bytes: 16 }],
    ["encryption.iv", HEX_16, { kind: "key", field: "iv", bytes: 16 }],
    ["encryption.cipher", "aes-128-ecb", { kind: "ecb", name: "aes-128-ecb" }],
    ["transformation", "AES/ECB/PKCS5Padding", { kind: "ecb", name: "AES/ECB/PKCS5Padding" }],
    ["encryption.mode", "ECB", { kind: "ecb", name: "ECB" }],
    ["encryption.weights", "model.safetensors.enc", { kind: "encrypted-file", name: "model.safetensors.enc" }],
    ["key", HEX_16, null],
    ["cache.key", HEX_16, null],
    ["encryption.key", "$" + "{MODEL_KEY}", null],
    ["encryption.key", "env:MODEL_KEY", null],
    ["mode", "ECB", { kind: "ecb", name: "ECB" }],
    ["decoding.mode", "greedy", null],
    ["encryption.cipher", "aes-256-gcm", null],
    ["_commit_hash", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", null],
  ])("%s = %s", (key, value, verdict) => {
    expect(judgeConfigValue(key, value)).toEqual(verdict);
  });

  it("a key in a config is a warning, an IV a lower-confidence warning", async () => {
    const report = await scanFacts([text("encryption.key", HEX_16), text("encryption.iv", HEX_16)]);
    expect(summary(report).sort()).toEqual([
      ["crypto/hard-coded-key", "warning", "ivInConfig"],
      ["crypto/hard-coded-key", "warning", "keyInConfig"],
    ]);
    const key = report.findings.find((finding) => finding.messageId === "keyInConfig")!;
    expect(key.message).toBe("encryption.key holds a 16-byte encryption key in the open");
    expect(key.evidence).toBe("encryption.key: 00…******…ff (16 bytes)");
    expect(report.findings.find((finding) => finding.messageId === "ivInConfig")!.confidence).toBe(0.7);
  });

  it("a key beside the encrypted weights it names is critical; the IV stays a warning", async () => {
    const report = await scanFacts([
      text("encryption.key", HEX_16),
      text("encryption.iv", HEX_16),
      text("encryption.weights", "model.safetensors.enc"),
    ]);
    expect(summary(report).sort()).toEqual([
      ["crypto/hard-coded-key", "warning", "ivInConfig"],
      ["crypto/key-beside-encrypted-weights", "critical", "keyWithEncryptedWeights"],
    ]);
  });
});

describe("pickle calls and imports", () => {
  const call = (module: string, name: string, args: string[], stream = 0): Fact => ({
    kind: "call",
    callee: { module, name },
    via: "REDUCE",
    args,
    location: { offset: 10, stream },
  });

  it("a seed followed by a generator in the same stream is a warning", async () => {
    const report = await scanFacts([call("random", "seed", ["1234"]), call("random", "getrandbits", ["128"])]);
    expect(summary(report)).toEqual([["crypto/fixed-seed", "warning", "pickledSeededGeneration"]]);
    expect(report.findings[0]!.message).toBe(
      "the pickle seeds random.seed(1234) and then calls random.getrandbits when it is loaded: the value it makes is predictable",
    );
  });

  it("a seed alone is a note; a generator in another stream does not count", async () => {
    const report = await scanFacts([call("torch", "manual_seed", ["42"], 0), call("random", "getrandbits", ["64"], 1)]);
    expect(summary(report)).toEqual([["crypto/fixed-seed", "info", "pickledSeed"]]);
  });

  it("a non-constant seed is nothing", async () => {
    const report = await scanFacts([call("random", "seed", ["time.time(…)"]), call("random", "random", [])]);
    expect(report.findings).toEqual([]);
  });

  it("a cipher built with a pickled key, in ECB", async () => {
    const report = await scanFacts([call("Cryptodome.Cipher.AES", "new", ["<16 bytes>", "1"])]);
    expect(summary(report).sort()).toEqual([
      ["crypto/ecb-mode", "warning", "pickledEcb"],
      ["crypto/hard-coded-key", "warning", "pickledKey"],
    ]);
  });

  it("a str Fernet key is redacted in the evidence", async () => {
    const key = "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=";
    const report = await scanFacts([call("cryptography.fernet", "Fernet", [JSON.stringify(key)])]);
    expect(summary(report)).toEqual([["crypto/hard-coded-key", "warning", "pickledKey"]]);
    expect(report.findings[0]!.evidence).not.toContain(key.slice(2, -2));
  });

  it("imports of ECB modes", async () => {
    const report = await scanFacts([
      { kind: "import", module: "cryptography.hazmat.primitives.ciphers.modes", name: "ECB", via: "GLOBAL" },
      { kind: "import", module: "Crypto.Cipher.AES", name: "MODE_CBC", via: "GLOBAL" },
    ]);
    expect(summary(report)).toEqual([["crypto/ecb-mode", "warning", "pickledEcb"]]);
  });
});

describe("keys beside encrypted weights", () => {
  const entry = (name: string, size = 32): Fact => ({ kind: "entry", name, type: "file", size });

  it("an archive holding a key file and encrypted weights", async () => {
    const report = await scanFacts([entry("m/weights.bin.enc", 4096), entry("m/key.bin"), entry("m/config.json", 100)]);
    expect(summary(report)).toEqual([["crypto/key-beside-encrypted-weights", "critical", "keyFileBeside"]]);
    expect(report.findings[0]!.message).toBe(
      "key file m/key.bin is shipped in the same archive as encrypted weights m/weights.bin.enc",
    );
  });

  it.each([
    ["a key file alone", [entry("m/key.bin")]],
    ["encrypted weights alone", [entry("m/weights.bin.enc", 4096)]],
    ["a public key beside encrypted weights", [entry("m/weights.enc", 4096), entry("m/public.key")]],
    ["a large .key file", [entry("m/weights.enc", 4096), entry("m/slides.key", 5_000_000)]],
  ])("%s: nothing", async (_name, facts) => {
    expect((await scanFacts(facts)).findings).toEqual([]);
  });

  it("a key file in a folder with encrypted weights, unless checkSiblings is off", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "crypto-siblings-"));
    try {
      await writeFile(path.join(directory, "model.safetensors.enc"), new Uint8Array(64));
      await writeFile(path.join(directory, "fernet.key"), "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=");
      const keyFile = path.join(directory, "fernet.key");
      const report = await scanPaths([keyFile], [plugin]);
      expect(summary(report)).toEqual([["crypto/key-beside-encrypted-weights", "critical", "keyFileBeside"]]);
      const off = await scanPaths([keyFile], [plugin], cryptoOptions({ checkSiblings: false }));
      expect(off.findings).toEqual([]);
      // The encrypted file itself is not reported: the key is the exposure, reported once.
      const encrypted = await scanPaths([path.join(directory, "model.safetensors.enc")], [plugin]);
      expect(encrypted.findings).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
