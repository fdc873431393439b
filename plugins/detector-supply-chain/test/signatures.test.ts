import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "@modelaudit/core/engine";
import { scanPaths } from "@modelaudit/core/testing";
import * as openpgp from "openpgp";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import type { SignatureOptions } from "../src/signatures/options.js";
import { prepareSignatures } from "../src/signatures/prepare-signatures.js";
import { supplyChainOptions } from "./helpers.js";

// Made offline by tooling/fixtures/generate_signing_fixtures.py: a test CA and log key in trusted_root.json,
// a certificate-signed and a key-signed OpenSSF model-signing bundle over the same three files.
const FIXTURES = path.resolve(import.meta.dirname, "../../../tooling/fixtures/signing");
const TRUSTED_ROOT = path.join(FIXTURES, "trusted_root.json");
const SIGNER = { identity: "signer@example.test", issuer: "https://issuer.example.test" };

const scratch = mkdtempSync(path.join(tmpdir(), "modelaudit-signatures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let copies = 0;
/** A fresh copy of a fixture folder, to change without touching the fixtures. */
function copyOf(folder: string): string {
  const target = path.join(scratch, `${folder}-${copies++}`);
  cpSync(path.join(FIXTURES, folder), target, { recursive: true });
  return target;
}

function flipByte(file: string, offset = 0): void {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  writeFileSync(file, bytes);
}

function options(overrides: Partial<SignatureOptions> = {}): SignatureOptions {
  return { required: false, publicKeys: [], openpgpKeys: [], identities: [], ...overrides };
}

/** The CLI's order: verify the signatures, then scan with their results. */
async function verifyAndScan(folder: string, signatureOptions: SignatureOptions): Promise<Report> {
  const results = await prepareSignatures([folder], signatureOptions);
  const { results: _, ...userOptions } = signatureOptions;
  return scanPaths([folder], [plugin], supplyChainOptions({ signatures: { ...userOptions, results } }));
}

const signatureFindings = (report: Report) =>
  report.findings
    .filter((finding) => finding.ruleId === "supply-chain/signature")
    .map((finding) => [path.basename(finding.file), finding.severity, finding.messageId]);
const signatureNotes = (report: Report) =>
  report.checks
    .filter((check) => check.ruleId === "supply-chain/signature" && check.notes)
    .map((check) => [path.basename(check.file), check.status, check.notes?.[0]]);

describe("OpenSSF model-signing bundles (Sigstore), verified offline", () => {
  const certificate = options({ trustedRoot: TRUSTED_ROOT, identities: [SIGNER] });

  it("a certificate-signed bundle: every file is a passed check naming the signer", async () => {
    const report = await verifyAndScan(copyOf("certificate"), certificate);
    expect(signatureFindings(report)).toEqual([]);
    const signed = "signed by signer@example.test (issuer https://issuer.example.test) (model-signing signature";
    expect(signatureNotes(report).map(([file, status, note]) => [file, status, note?.slice(0, signed.length)])).toEqual(
      [
        ["config.json", "passed", signed],
        ["model.safetensors", "passed", signed],
        ["vocab.txt", "passed", signed],
      ],
    );
  });

  it("one flipped byte of a model file: that file is critical (it changed after signing)", async () => {
    const folder = copyOf("certificate");
    flipByte(path.join(folder, "model.safetensors"), 40);
    const report = await verifyAndScan(folder, certificate);
    expect(signatureFindings(report)).toEqual([["model.safetensors", "critical", "changed"]]);
    expect(signatureNotes(report).map(([file]) => file)).toEqual(["config.json", "vocab.txt"]);
  });

  it("one flipped byte of the signed statement: the bundle does not verify, every file is critical", async () => {
    const folder = copyOf("certificate");
    const bundleFile = path.join(folder, "model.sig");
    const bundle = JSON.parse(readFileSync(bundleFile, "utf8"));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, "base64");
    // A byte inside the first resource digest: still JSON, no longer what was signed.
    const at = payload.indexOf('"digest":"') + 12;
    payload[at] = (payload[at] as number) ^ 0x01;
    bundle.dsseEnvelope.payload = payload.toString("base64");
    writeFileSync(bundleFile, JSON.stringify(bundle));
    const report = await verifyAndScan(folder, certificate);
    expect(signatureFindings(report)).toEqual([
      ["config.json", "critical", "invalid"],
      ["model.safetensors", "critical", "invalid"],
      ["vocab.txt", "critical", "invalid"],
    ]);
    expect(report.findings[0]?.message).toMatch(/model\.sig does not verify: DSSE payload hash mismatch$/);
  });

  it("a signer that is not an accepted identity, or a root that does not know the CA, is invalid", async () => {
    const stranger = options({
      trustedRoot: TRUSTED_ROOT,
      identities: [{ ...SIGNER, identity: "someone@example.test" }],
    });
    const wrongIdentity = await verifyAndScan(copyOf("certificate"), stranger);
    expect(wrongIdentity.findings[0]?.message).toMatch(
      /does not verify: the signer is none of the accepted identities/,
    );
    // The shipped Sigstore public-good root does not trust the test CA.
    const publicGood = await verifyAndScan(copyOf("certificate"), options({ identities: [SIGNER] }));
    expect(signatureFindings(publicGood).every(([, severity]) => severity === "critical")).toBe(true);
    expect(publicGood.findings).toHaveLength(3);
  });

  it("a SLSA provenance attestation (provenance.sigstore.json): its subjects are vouched for, builder and source named", async () => {
    const report = await verifyAndScan(copyOf("slsa"), certificate);
    expect(signatureFindings(report)).toEqual([]);
    const notes = signatureNotes(report);
    expect(notes.map(([file]) => file)).toEqual(["config.json", "model.safetensors", "vocab.txt"]);
    expect(notes[0]?.[2]).toMatch(
      /^signed by signer@example\.test \(issuer https:\/\/issuer\.example\.test\); built by https:\/\/github\.com\/actions\/runner\/github-hosted from https:\/\/github\.com\/example-org\/tiny-model@refs\/tags\/v1\.0 \(slsa-provenance signature /,
    );
    const folder = copyOf("slsa");
    flipByte(path.join(folder, "config.json"), 3);
    expect(signatureFindings(await verifyAndScan(folder, certificate))).toEqual([
      ["config.json", "critical", "changed"],
    ]);
  });

  it("a key-signed bundle verifies with the user's public key, and not without it", async () => {
    const withKey = await verifyAndScan(
      copyOf("key"),
      options({ trustedRoot: TRUSTED_ROOT, publicKeys: [path.join(FIXTURES, "signing-key.pub.pem")] }),
    );
    expect(signatureFindings(withKey)).toEqual([]);
    expect(signatureNotes(withKey)[0]?.[2]).toMatch(/^signed by the key with hint [0-9a-f]{64} /);
    // Without the signer's key the bundle cannot be checked: the files are unsigned, which matters when required.
    const withoutKey = await verifyAndScan(copyOf("key"), options({ trustedRoot: TRUSTED_ROOT }));
    expect(signatureFindings(withoutKey)).toEqual([]);
    expect(signatureNotes(withoutKey)).toEqual([]);
    const required = await verifyAndScan(copyOf("key"), options({ trustedRoot: TRUSTED_ROOT, required: true }));
    expect(signatureFindings(required).map(([, severity, messageId]) => `${severity} ${messageId}`)).toEqual([
      "warning unsigned",
      "warning unsigned",
      "warning unsigned",
    ]);
    const wrongKey = await verifyAndScan(
      copyOf("key"),
      options({ trustedRoot: TRUSTED_ROOT, publicKeys: [path.join(FIXTURES, "ca.pem")] }),
    );
    expect(wrongKey.findings[0]?.message).toMatch(/no public key given for the bundle's key hint/);
  });
});

describe("detached OpenPGP signatures", async () => {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: "Model Publisher", email: "release@example.test" }],
    format: "armored",
  });
  const other = await openpgp.generateKey({ type: "ecc", curve: "curve25519Legacy", userIDs: [{ name: "Other" }] });
  const keyFile = path.join(scratch, "publisher.asc");
  const otherKeyFile = path.join(scratch, "other.asc");
  writeFileSync(keyFile, publicKey);
  writeFileSync(otherKeyFile, other.publicKey);

  /** A folder with weights.bin and its detached signature, armored (.asc) or binary (.sig). */
  async function signedFolder(armored: boolean): Promise<string> {
    const folder = path.join(scratch, `pgp-${copies++}`);
    cpSync(path.join(FIXTURES, "key"), folder, { recursive: true });
    rmSync(path.join(folder, "model.sig"));
    const data = readFileSync(path.join(folder, "model.safetensors"));
    const message = await openpgp.createMessage({ binary: data });
    const signingKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });
    if (armored) {
      const signature = await openpgp.sign({ message, signingKeys, detached: true });
      writeFileSync(path.join(folder, "model.safetensors.asc"), signature);
    } else {
      const signature = await openpgp.sign({ message, signingKeys, detached: true, format: "binary" });
      writeFileSync(path.join(folder, "model.safetensors.sig"), signature);
    }
    return folder;
  }

  it("a valid signature (armored or binary) is a passed check naming the key's user", async () => {
    for (const armored of [true, false]) {
      const report = await verifyAndScan(await signedFolder(armored), options({ openpgpKeys: [keyFile] }));
      expect(signatureFindings(report)).toEqual([]);
      expect(signatureNotes(report)).toEqual([
        [
          "model.safetensors",
          "passed",
          expect.stringMatching(
            /^signed by Model Publisher <release@example\.test> \(key [0-9a-f]{16}\) \(openpgp signature /,
          ),
        ],
      ]);
    }
  });

  it("one flipped byte of the signed file fails verification: critical", async () => {
    const folder = await signedFolder(true);
    flipByte(path.join(folder, "model.safetensors"), 30);
    const report = await verifyAndScan(folder, options({ openpgpKeys: [keyFile] }));
    expect(signatureFindings(report)).toEqual([["model.safetensors", "critical", "invalid"]]);
  });

  it("a signature by a key the user did not give is invalid", async () => {
    const report = await verifyAndScan(await signedFolder(true), options({ openpgpKeys: [otherKeyFile] }));
    expect(signatureFindings(report)).toEqual([["model.safetensors", "critical", "invalid"]]);
  });
});

describe("options.signatures.required", () => {
  it("a file no signature covers is a warning; signature files themselves are not judged", async () => {
    const folder = copyOf("certificate");
    writeFileSync(path.join(folder, "added.txt"), "not signed\n");
    const report = await verifyAndScan(
      folder,
      options({ trustedRoot: TRUSTED_ROOT, identities: [SIGNER], required: true }),
    );
    expect(signatureFindings(report)).toEqual([["added.txt", "warning", "unsigned"]]);
  });

  it("required, but nothing verified the signatures: inconclusive, never clean", async () => {
    const folder = copyOf("certificate");
    const report = await scanPaths(
      [path.join(folder, "config.json")],
      [plugin],
      supplyChainOptions({ signatures: { required: true } }),
    );
    expect(report.files[0]?.outcome).toBe("inconclusive");
    expect(report.files[0]?.reasons.join()).toMatch(/signatures are required but were not verified/);
  });
});
