import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

// Offline signing material from tooling/fixtures/generate_signing_fixtures.py (a test CA and log key).
const FIXTURES = path.resolve(import.meta.dirname, "../../../tooling/fixtures/signing");
const resolvePlugin = (name: string) =>
  name === "@modelaudit/detector-supply-chain"
    ? new URL("../../../plugins/detector-supply-chain/dist/index.js", import.meta.url).href
    : import.meta.resolve(name);

const scratch = mkdtempSync(path.join(tmpdir(), "modelaudit-cli-signatures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const trust = [
  "--trusted-root",
  path.join(FIXTURES, "trusted_root.json"),
  "--signer-identity",
  "signer@example.test",
  "--signer-issuer",
  "https://issuer.example.test",
];

describe("scan with signature verification", () => {
  it("a model-signing bundle that verifies: exit 0, each file's check names the signer", async () => {
    const folder = path.join(scratch, "ok");
    cpSync(path.join(FIXTURES, "certificate"), folder, { recursive: true });
    const result = await runCli(["scan", folder, "-f", "json", "--verbose", ...trust], { resolvePlugin });
    const report = JSON.parse(result.stdout);
    const notes = report.checks
      .filter((check: { ruleId: string }) => check.ruleId === "supply-chain/signature")
      .map((check: { file: string; status: string; notes?: string[] }) => [
        path.basename(check.file),
        check.status,
        check.notes?.[0],
      ]);
    expect(notes).toEqual([
      [
        "config.json",
        "passed",
        expect.stringContaining("signed by signer@example.test (issuer https://issuer.example.test)"),
      ],
      ["model.safetensors", "passed", expect.stringContaining("signed by signer@example.test")],
      ["model.sig", "skipped", undefined],
      ["vocab.txt", "passed", expect.stringContaining("signed by signer@example.test")],
    ]);
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it("one flipped byte of a signed file: critical, exit 1", async () => {
    const folder = path.join(scratch, "flipped");
    cpSync(path.join(FIXTURES, "certificate"), folder, { recursive: true });
    const file = path.join(folder, "tokenizer", "vocab.txt");
    const bytes = readFileSync(file);
    bytes[0] = (bytes[0] as number) ^ 0x20;
    writeFileSync(file, bytes);
    const result = await runCli(["scan", folder, "-f", "json", ...trust], { resolvePlugin });
    const findings = JSON.parse(result.stdout).findings.filter(
      (finding: { ruleId: string }) => finding.ruleId === "supply-chain/signature",
    );
    expect(
      findings.map((finding: { file: string; severity: string; messageId: string }) => [
        path.basename(finding.file),
        finding.severity,
        finding.messageId,
      ]),
    ).toEqual([["vocab.txt", "critical", "changed"]]);
    expect(result.exitCode).toBe(1);
  }, 60_000);

  it("--require-signatures: an unsigned file is a warning (exit 1); half a signer is a usage error", async () => {
    const folder = path.join(scratch, "unsigned");
    cpSync(path.join(FIXTURES, "certificate"), folder, { recursive: true });
    rmSync(path.join(folder, "model.sig"));
    const result = await runCli(["scan", path.join(folder, "config.json"), "-f", "json", "--require-signatures"], {
      resolvePlugin,
    });
    expect(JSON.parse(result.stdout).findings.map((finding: { messageId: string }) => finding.messageId)).toEqual([
      "unsigned",
    ]);
    expect(result.exitCode).toBe(1);
    const half = await runCli(["scan", folder, "--signer-identity", "a@example.test"], { resolvePlugin });
    expect(half.exitCode).toBe(2);
    expect(half.stderr).toContain("--signer-identity and --signer-issuer go together");
  }, 60_000);

  it("verify --manifest model.sig: the bundle's signature and every file (the bundle itself is not a model file)", async () => {
    const folder = path.join(scratch, "verify");
    cpSync(path.join(FIXTURES, "certificate"), folder, { recursive: true });
    const bundle = path.join(folder, "model.sig");
    const ok = await runCli(["verify", folder, "--manifest", bundle, ...trust], { resolvePlugin });
    expect(ok.stdout).toBe(
      "signature signed by signer@example.test (issuer https://issuer.example.test)\n" +
        "verified against the model-signing manifest: 3 files unchanged\n",
    );
    expect(ok.exitCode).toBe(0);
    const stranger = await runCli(
      [
        "verify",
        folder,
        "--manifest",
        bundle,
        ...trust.slice(0, 2),
        "--signer-identity",
        "x@example.test",
        "--signer-issuer",
        "https://issuer.example.test",
      ],
      { resolvePlugin },
    );
    expect(stranger.stdout).toMatch(/^signature does not verify: the signer is none of the accepted identities/);
    expect(stranger.exitCode).toBe(1);
  }, 60_000);
});
