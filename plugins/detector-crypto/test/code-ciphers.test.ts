import { describe, expect, it } from "vitest";
import { judgeCiphers, literalValue, readPython } from "../src/index.js";
import { scanPython, summary } from "./helpers.js";

const verdicts = (code: string) => judgeCiphers(readPython(code)).map((verdict) => verdict.messageId);

describe("literalValue", () => {
  it.each([
    ['b"Sixteen byte key"', 16],
    ["b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07'", 8],
    ['"0123456789abcdef".encode()', 16],
    ['bytes.fromhex("00112233445566778899aabbccddeeff")', 16],
    ['base64.b64decode("AAECAwQFBgcICQoLDA0ODw==")', 16],
    ['b"\\0" * 16', 16],
    ["16 * b'\\x00'", 16],
    ["bytes(12)", 12],
    ['rb"\\x00\\x01"', 8],
  ])("%s is a %d-byte constant", (expression, length) => {
    expect(literalValue(expression)?.length).toBe(length);
  });

  it.each([
    'f"{prefix}key"',
    "os.urandom(16)",
    "get_random_bytes(16)",
    'bytes.fromhex(os.environ["KEY"])',
    "key",
    '"a" + suffix',
  ])("%s is not a constant", (expression) => {
    expect(literalValue(expression)).toBeNull();
  });
});

describe("ciphers in Python source", () => {
  it.each([
    [
      "AES.new with a literal key and ECB",
      'c = AES.new(b"Sixteen byte key", AES.MODE_ECB)',
      ["hardCodedKey", "ecbInCode"],
    ],
    [
      "AES.new(key=..., mode=..., iv=...) keywords",
      'c = AES.new(key=b"Sixteen byte key", mode=AES.MODE_CBC, iv=b"0123456789abcdef")',
      ["hardCodedKey", "hardCodedIv"],
    ],
    [
      "a module constant key",
      'KEY = b"0123456789abcdef"\ndef f():\n    return AES.new(KEY, AES.MODE_GCM)',
      ["hardCodedKey"],
    ],
    ["Fernet with a literal key", 'f = Fernet(b"ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=")', ["hardCodedKey"]],
    ["AESGCM over bytes.fromhex", 'a = AESGCM(bytes.fromhex("00112233445566778899aabbccddeeff"))', ["hardCodedKey"]],
    [
      "cryptography's algorithms and a zero IV",
      "c = Cipher(algorithms.AES(KEY), modes.CBC(b'\\x00' * 16))\nKEY = b'k' * 32",
      ["hardCodedKey", "hardCodedIv"],
    ],
    ["modes.ECB()", "c = Cipher(algorithms.AES(key), modes.ECB())", ["ecbInCode"]],
    [
      "an OpenSSL-style ECB name",
      'run(["openssl", "enc", "-aes-256-ecb"])\ncipher_name = "aes-256-ecb"',
      ["ecbInCode"],
    ],
    ["PyCrypto's default mode", "c = DES.new(key)", ["defaultEcb"]],
    ["hmac with a literal key", 'mac = hmac.new(b"integrity-key-2024", data, hashlib.sha256)', ["hardCodedKey"]],
    [
      "a call spread over lines",
      'c = AES.new(\n    b"Sixteen byte key",\n    AES.MODE_CBC,\n    b"0123456789abcdef",\n)',
      ["hardCodedKey", "hardCodedIv"],
    ],
  ])("%s", (_name, code, expected) => {
    expect(verdicts(code).sort()).toEqual([...expected].sort());
  });

  it.each([
    ["a key from the environment", 'c = AES.new(bytes.fromhex(os.environ["KEY"]), AES.MODE_GCM)'],
    ["a random key and nonce", "key = get_random_bytes(32)\nc = AES.new(key, AES.MODE_GCM, nonce=os.urandom(12))"],
    ["a key bound to a literal and recomputed", 'key = b"placeholder-key!"\nkey = load_key()\nc = AESGCM(key)'],
    ["commented-out code", '# c = AES.new(b"Sixteen byte key", AES.MODE_ECB)\nc = AESGCM(key)'],
    ["Fernet.generate_key()", "f = Fernet(Fernet.generate_key())"],
    ["GCM with a runtime nonce", "c = Cipher(algorithms.AES(key), modes.GCM(nonce))"],
    ["a short placeholder", 'c = AESGCM(b"")'],
    ["ECB in prose", 'doc = "never use ECB mode"'],
  ])("%s: nothing", (_name, code) => {
    expect(verdicts(code)).toEqual([]);
  });

  it("reports through the Hugging Face python-source handler with line, redacted evidence and data", async () => {
    const report = await scanPython(
      'import torch\nfrom Crypto.Cipher import AES\n\nc = AES.new(b"Sixteen byte key", AES.MODE_ECB)\n',
    );
    expect(summary(report).sort()).toEqual([
      ["crypto/ecb-mode", "warning", "ecbInCode"],
      ["crypto/hard-coded-key", "warning", "hardCodedKey"],
    ]);
    const key = report.findings.find((finding) => finding.ruleId === "crypto/hard-coded-key")!;
    expect(key.message).toBe("AES.new is given a hard-coded 16-byte key");
    expect(key.location).toEqual({ path: "modeling_custom.py", line: 4 });
    expect(key.evidence).toBe("Si…******…ey (16 bytes)");
    expect(key.evidence).not.toContain("Sixteen byte key");
  });

  it("a hard-coded key in code that opens encrypted weights is critical", async () => {
    const report = await scanPython(
      'import torch\nKEY = b"Sixteen byte key"\n\ndef load():\n    blob = open("weights.bin.enc", "rb").read()\n    return AESGCM(KEY).decrypt(blob[:12], blob[12:], None)\n',
    );
    expect(summary(report)).toEqual([["crypto/key-beside-encrypted-weights", "critical", "keyWithEncryptedWeights"]]);
    expect(report.findings[0]!.message).toBe(
      "a hard-coded 16-byte key (AESGCM) travels with encrypted weights weights.bin.enc: anyone with the model can decrypt them",
    );
  });
});
