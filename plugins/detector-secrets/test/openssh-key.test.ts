import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isRandomKeyMaterial, parseOpenSshKey } from "../src/patterns/openssh-key.js";
import { pemKey } from "./support/fake-secrets.js";
import { runDetector } from "./support/run-detector.js";

const KEYS = path.resolve(import.meta.dirname, "../../../tooling/fixtures/text-channel/ssh");
const encode = (text: string) => new TextEncoder().encode(text);

function sshString(value: string | Uint8Array): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An `openssh-key-v1` body laid out as ssh-keygen writes it (sshkey.c, sshkey_private_to_blob2). */
function openSshBody(cipher: string, publicKey: Uint8Array): string {
  const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(publicKey)]);
  const check = randomBytes(4);
  const privateSection = Buffer.concat([
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(publicKey),
    sshString(Buffer.concat([randomBytes(32), publicKey])),
    sshString(""),
    Buffer.from([1, 2, 3, 4, 5, 6, 7]),
  ]);
  const kdf = cipher === "none" ? "none" : "bcrypt";
  const kdfOptions =
    cipher === "none" ? Buffer.alloc(0) : Buffer.concat([sshString(randomBytes(16)), Buffer.from([0, 0, 0, 24])]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  return Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString(cipher),
    sshString(kdf),
    sshString(kdfOptions),
    count,
    sshString(publicBlob),
    sshString(privateSection),
  ]).toString("base64");
}

const textFact = (text: string) => ({ kind: "text" as const, text, key: "deploy_key", role: "config" as const });

describe("OpenSSH private keys (openssh-key-v1)", () => {
  it("parses the structure: cipher, key type and the public key", () => {
    const publicKey = randomBytes(32);
    const parsed = parseOpenSshKey(openSshBody("none", publicKey));
    expect(parsed?.cipher).toBe("none");
    expect(parsed?.keyType).toBe("ssh-ed25519");
    expect(Buffer.from(parsed!.publicKey.subarray(4)).equals(publicKey)).toBe(true);
    expect(parseOpenSshKey(Buffer.from("not a key at all, not even close").toString("base64"))).toBeUndefined();
  });

  it("reports a real unencrypted key although its header encodes to runs of A", () => {
    const body = openSshBody("none", randomBytes(32));
    expect(body).toMatch(/A{6,}/);
    const findings = runDetector([textFact(pemKey("OPENSSH PRIVATE KEY", body))]);
    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([["private-key", "critical"]]);
    expect(findings[0]?.data?.kind).toBe("OPENSSH PRIVATE KEY (ssh-ed25519)");
    const raw = runDetector([], [encode(`junk\x00\x01${pemKey("OPENSSH PRIVATE KEY", body)}\x00`)]);
    expect(raw.map((finding) => finding.rule)).toEqual(["private-key"]);
  });

  it("reports a passphrase-protected key as a warning", () => {
    const findings = runDetector([textFact(pemKey("OPENSSH PRIVATE KEY", openSshBody("aes256-ctr", randomBytes(32))))]);
    expect(findings.map((finding) => [finding.messageId, finding.severity])).toEqual([["encryptedKey", "warning"]]);
  });

  it("stays quiet on a sketch whose key material is not random", () => {
    const findings = runDetector([textFact(pemKey("OPENSSH PRIVATE KEY", openSshBody("none", new Uint8Array(32))))]);
    expect(findings).toEqual([]);
    expect(isRandomKeyMaterial(new Uint8Array(32).fill(7))).toBe(false);
  });

  it("tells two keys in one source apart", () => {
    const text = [1, 2].map(() => pemKey("OPENSSH PRIVATE KEY", openSshBody("none", randomBytes(32)))).join("\n");
    expect(runDetector([textFact(text)])).toHaveLength(2);
  });

  it.each(["id_ed25519", "id_rsa"])("reports the fresh ssh-keygen key %s in raw bytes", (name) => {
    const findings = runDetector([], [new Uint8Array(readFileSync(path.join(KEYS, name)))]);
    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([["private-key", "critical"]]);
  });
});
