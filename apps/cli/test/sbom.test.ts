import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Check, Finding } from "@modelaudit/core";
import type { FileEntry, Report } from "@modelaudit/core/engine";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildSbom } from "../src/sbom.js";
import { startFakeHub } from "./fake-hub.js";
import { runCli } from "./harness.js";

const schemaFile = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/cyclonedx/${name}.schema.json`, import.meta.url), "utf8"));
// The official CycloneDX 1.6 schema and the two it references, vendored unchanged (see fixtures/cyclonedx/README.md).
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
addFormats.default(ajv);
ajv.addSchema(schemaFile("spdx"));
ajv.addSchema(schemaFile("jsf-0.82"));
const validate = ajv.compile(schemaFile("bom-1.6"));

function expectValid(bom: unknown): void {
  const valid = validate(bom);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const SHA256 = "a".repeat(64);
const SHA512 = "b".repeat(128);
const COMMIT = "0e7c75d2b9ecf1e7882701520d1193ac48e855c6";
const ROOT = "/scan";

function file(filePath: string, formats: string[], extra: Partial<FileEntry> = {}): FileEntry {
  return {
    path: filePath,
    size: 10,
    formats,
    sha256: SHA256,
    outcome: "clean",
    reasons: [],
    members: 0,
    durationMs: 1,
    ...extra,
  };
}

function check(filePath: string, ruleId: string, notes: string[]): Check {
  return { ruleId, file: filePath, status: "passed", findings: 0, notes };
}

function report(files: FileEntry[], checks: Check[], findings: Finding[] = [], extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: "2.2.0",
    tool: { name: "modelaudit", version: "0.1.0" },
    plugins: [{ name: "@modelaudit/detector-supply-chain", version: "0.1.0" }],
    level: "standard",
    failOn: "warning",
    files,
    findings,
    checks,
    skipped: [],
    summary: {
      files: files.length,
      bytes: 0,
      outcomes: { clean: files.length, findings: 0, inconclusive: 0, error: 0 },
      findings: { critical: 0, warning: 0, info: 0 },
      checks: { passed: checks.length, failed: 0, skipped: 0 },
      skipped: 0,
      exitCode: 0,
      durationMs: 1,
    },
    ...extra,
  };
}

const options = {
  tool: { name: "modelaudit", version: "0.1.0" },
  baseDirectory: ROOT,
  serialNumber: "3e671687-395b-41f5-a30f-a58921a69b79",
};

describe("CycloneDX 1.6 ML-BOM", () => {
  const cache = `${ROOT}/hub/models--meta-llama--Llama-2-7b-hf/snapshots/${COMMIT}`;
  const sample = report(
    [
      file(`${cache}/README.md`, ["hf-model-card"]),
      file(`${cache}/config.json`, ["hf-config"]),
      file(`${cache}/model.safetensors`, ["safetensors"], { sha512: SHA512 }),
      file(`${ROOT}/adapter/README.md`, ["hf-model-card"]),
      file(`${ROOT}/adapter/adapter_model.safetensors`, ["safetensors"], { outcome: "findings" }),
      file(`${ROOT}/adapter/unet/diffusion_pytorch_model.bin`, ["pickle", "pytorch-zip"]),
      file(`${ROOT}/lone/model.gguf`, ["gguf"]),
      file(`${ROOT}/unread/weights.pt`, [], { sha256: null, outcome: "inconclusive", reasons: ["cut short"] }),
    ],
    [
      check(`${cache}/README.md`, "supply-chain/license", [
        "LicenseRef-Llama-2-Community is declared by the model card as llama2 (use-restricted)",
      ]),
      check(`${cache}/model.safetensors`, "supply-chain/provenance", [
        `huggingface.co/meta-llama/Llama-2-7b-hf@${COMMIT} is the model's source (Hugging Face cache folder)`,
      ]),
      check(`${ROOT}/adapter/README.md`, "supply-chain/license", [
        "Apache-2.0 is declared by the model card as apache-2.0 (permissive)",
      ]),
      check(`${ROOT}/adapter/README.md`, "supply-chain/lineage", [
        "huggingface.co/meta-llama/Llama-2-7b-hf is a base model of this model (model card base_model)",
      ]),
      check(`${ROOT}/lone/model.gguf`, "supply-chain/license", [
        "MIT is declared by a license field as mit (permissive)",
      ]),
      check(`${ROOT}/lone/model.gguf`, "supply-chain/signature", [
        "signed by ci@acme.example (sigstore signature model.sig)",
      ]),
    ],
    [
      {
        ruleId: "code-execution/dangerous-global",
        severity: "critical",
        confidence: 1,
        detector: "code-execution",
        messageId: "dangerous",
        message: "os.system",
        file: `${ROOT}/adapter/adapter_model.safetensors`,
        memberChain: [],
        remediation: "do not load",
        references: [],
      },
    ],
  );
  const bom = buildSbom(sample, { ...options, timestamp: new Date("2026-01-02T03:04:05Z") }) as {
    components: Record<string, unknown>[];
  };
  const byName = (name: string) => bom.components.find((component) => component.name === name)!;

  it("validates against the official CycloneDX 1.6 JSON schema", () => {
    expectValid(bom);
    expect(bom).toMatchObject({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      version: 1,
      serialNumber: `urn:uuid:${options.serialNumber}`,
    });
  });

  it("lists one machine-learning-model component per model file, never configs or cards, unread models included", () => {
    expect(bom.components.map((component) => [component.type, component.name])).toEqual([
      ["machine-learning-model", `hub/models--meta-llama--Llama-2-7b-hf/snapshots/${COMMIT}/model.safetensors`],
      ["machine-learning-model", "adapter/adapter_model.safetensors"],
      ["machine-learning-model", "adapter/unet/diffusion_pytorch_model.bin"],
      ["machine-learning-model", "lone/model.gguf"],
      ["machine-learning-model", "unread/weights.pt"],
    ]);
  });

  it("a Hub cache file: digests, the folder's license (LicenseRef as a name), supplier and purl at the commit", () => {
    expect(byName(`hub/models--meta-llama--Llama-2-7b-hf/snapshots/${COMMIT}/model.safetensors`)).toMatchObject({
      hashes: [
        { alg: "SHA-256", content: SHA256 },
        { alg: "SHA-512", content: SHA512 },
      ],
      licenses: [{ license: { name: "LicenseRef-Llama-2-Community", acknowledgement: "declared" } }],
      supplier: { name: "meta-llama", url: ["https://huggingface.co/meta-llama"] },
      purl: `pkg:huggingface/meta-llama/Llama-2-7b-hf@${COMMIT}`,
      version: COMMIT,
    });
  });

  it("an adapter: SPDX id, base model as pedigree, the scan's verdict as properties", () => {
    const adapter = byName("adapter/adapter_model.safetensors");
    expect(adapter.licenses).toEqual([{ license: { id: "Apache-2.0", acknowledgement: "declared" } }]);
    expect(adapter.pedigree).toEqual({
      ancestors: [
        {
          type: "machine-learning-model",
          name: "meta-llama/Llama-2-7b-hf",
          purl: "pkg:huggingface/meta-llama/Llama-2-7b-hf",
        },
      ],
    });
    expect(adapter.properties).toEqual(
      expect.arrayContaining([
        { name: "modelaudit:outcome", value: "findings" },
        { name: "modelaudit:format", value: "safetensors" },
        { name: "modelaudit:findings:critical", value: "1" },
        { name: "modelaudit:rule", value: "code-execution/dangerous-global" },
      ]),
    );
  });

  it("weights one folder below the card take the card's license; a file's own license field wins", () => {
    expect(byName("adapter/unet/diffusion_pytorch_model.bin").licenses).toEqual([
      { license: { id: "Apache-2.0", acknowledgement: "declared" } },
    ]);
    expect(byName("lone/model.gguf").licenses).toEqual([{ license: { id: "MIT", acknowledgement: "declared" } }]);
    expect(byName("lone/model.gguf").properties).toContainEqual({
      name: "modelaudit:signature",
      value: "signed by ci@acme.example (sigstore signature model.sig)",
    });
  });

  it("an unread model has no digest and says why", () => {
    const unread = byName("unread/weights.pt");
    expect(unread.hashes).toBeUndefined();
    expect(unread.properties).toEqual(
      expect.arrayContaining([
        { name: "modelaudit:outcome", value: "inconclusive" },
        { name: "modelaudit:reason", value: "cut short" },
      ]),
    );
  });

  it("files downloaded from hf:// get the Hub repository at the resolved commit as supplier", () => {
    const remote = report([file(`hf://acme/tiny@${COMMIT}/model.safetensors`, ["safetensors"])], [], [], {
      sources: [
        {
          input: "hf://acme/tiny@main",
          kind: "huggingface",
          url: "https://huggingface.co/acme/tiny",
          revision: "main",
          commit: COMMIT,
        },
      ],
    });
    const remoteBom = buildSbom(remote, options) as { components: Record<string, unknown>[] };
    expectValid(remoteBom);
    expect(remoteBom.components[0]).toMatchObject({
      name: `hf://acme/tiny@${COMMIT}/model.safetensors`,
      supplier: { name: "acme" },
      purl: `pkg:huggingface/acme/tiny@${COMMIT}`,
    });
  });

  it("a file inside a git checkout takes the checkout's remote as supplier", () => {
    const checkout = report(
      [file(`${ROOT}/checkout/.git/config`, []), file(`${ROOT}/checkout/models/classifier.onnx`, ["onnx"])],
      [
        check(`${ROOT}/checkout/.git/config`, "supply-chain/provenance", [
          "github.com/Acme/Models is the model's source (git remote origin)",
        ]),
      ],
    );
    const checkoutBom = buildSbom(checkout, options) as { components: Record<string, unknown>[] };
    expectValid(checkoutBom);
    expect(checkoutBom.components).toEqual([
      expect.objectContaining({
        name: "checkout/models/classifier.onnx",
        supplier: { name: "Acme", url: ["https://github.com/Acme"] },
        purl: "pkg:github/acme/models",
      }),
    ]);
  });

  it("an empty scan is still a valid BOM", () => {
    expectValid(buildSbom(report([], []), options));
  });

  it("the schema rejects what it should (the validation is real)", () => {
    const broken = JSON.parse(JSON.stringify(bom));
    broken.components[0].licenses = [{ license: { id: "Not-A-License" } }];
    expect(validate(broken)).toBe(false);
  });
});

/** A minimal safetensors file: 8-byte header length, JSON header, data. */
function safetensors(): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }));
  const bytes = new Uint8Array(8 + header.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return bytes;
}

/** A GGUF v3 file with no tensors and string metadata (key → value), as llama.cpp's gguf writer lays it out. */
function gguf(metadata: Record<string, string>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const u32 = (value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    parts.push(bytes);
  };
  const u64 = (value: number) => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
    parts.push(bytes);
  };
  const string = (value: string) => {
    const bytes = encoder.encode(value);
    u64(bytes.length);
    parts.push(bytes);
  };
  parts.push(encoder.encode("GGUF"));
  u32(3);
  u64(0);
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    string(key);
    u32(8); // GGUF_TYPE_STRING
    string(value);
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(Math.ceil(total / 32) * 32);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

describe("modelaudit scan --sbom", () => {
  it("a GGUF file's own general.license is its license, even alone in a folder", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "modelaudit-sbom-"));
    try {
      await writeFile(
        path.join(root, "tiny.gguf"),
        gguf({ "general.architecture": "llama", "general.license": "apache-2.0" }),
      );
      const output = path.join(root, "bom.json");
      const result = await runCli(["scan", root, "--sbom", output, "-j", "1"], { cwd: root });
      expect(result.exitCode).toBe(0);
      const written = JSON.parse(await readFile(output, "utf8"));
      expectValid(written);
      expect(written.components).toEqual([
        expect.objectContaining({
          name: "tiny.gguf",
          licenses: [{ license: { id: "Apache-2.0", acknowledgement: "declared" } }],
        }),
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("writes a valid ML-BOM of a Hub cache folder with the recommended preset", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "modelaudit-sbom-"));
    try {
      const snapshot = path.join(root, "hub", "models--google--gemma-2b", "snapshots", COMMIT);
      await mkdir(snapshot, { recursive: true });
      await writeFile(path.join(snapshot, "model.safetensors"), safetensors());
      await writeFile(
        path.join(snapshot, "config.json"),
        JSON.stringify({ _name_or_path: "google/gemma-2b", model_type: "gemma" }),
      );
      await writeFile(
        path.join(snapshot, "README.md"),
        "---\nlicense: gemma\nlibrary_name: transformers\n---\n# Gemma\n",
      );
      const output = path.join(root, "bom.json");
      const result = await runCli(["scan", snapshot, "--sbom", output, "--format", "json", "-j", "1"], { cwd: root });
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      const written = JSON.parse(await readFile(output, "utf8"));
      expectValid(written);
      expect(written.components).toEqual([
        expect.objectContaining({
          type: "machine-learning-model",
          name: `hub/models--google--gemma-2b/snapshots/${COMMIT}/model.safetensors`,
          licenses: [{ license: { name: "LicenseRef-Gemma", acknowledgement: "declared" } }],
          hashes: [
            { alg: "SHA-256", content: expect.stringMatching(/^[0-9a-f]{64}$/) },
            { alg: "SHA-512", content: expect.stringMatching(/^[0-9a-f]{128}$/) },
          ],
          supplier: { name: "google", url: ["https://huggingface.co/google"] },
          purl: `pkg:huggingface/google/gemma-2b@${COMMIT}`,
        }),
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("a BOM that cannot be written is a usage error", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "modelaudit-sbom-"));
    try {
      await writeFile(path.join(root, "model.safetensors"), safetensors());
      const result = await runCli(["scan", root, "--sbom", path.join(root, "missing", "bom.json"), "-j", "1"], {
        cwd: root,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/cannot write .*bom\.json/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("hf:// inputs", () => {
  it("a look-alike Hub namespace is caught in a remote scan, and the BOM names the Hub repository at its commit", async () => {
    const hub = await startFakeHub({
      "0penai/tiny-model": {
        revisions: { main: COMMIT },
        commits: {
          [COMMIT]: {
            "README.md": "---\nlicense: mit\n---\n# tiny\n",
            "config.json": JSON.stringify({ _name_or_path: "openai/tiny-model", model_type: "gpt2" }),
            "model.safetensors": safetensors(),
          },
        },
      },
    });
    const root = await mkdtemp(path.join(tmpdir(), "modelaudit-sbom-remote-"));
    try {
      const output = path.join(root, "bom.json");
      const result = await runCli(
        ["scan", "hf://0penai/tiny-model", "--format", "json", "--sbom", output, "--download-dir", root, "-j", "1"],
        { cwd: root, env: { HF_ENDPOINT: hub.url } },
      );
      const report = JSON.parse(result.stdout) as Report;
      const lookalikes = report.findings.filter((finding) => finding.ruleId === "supply-chain/lookalike-repository");
      expect(lookalikes.map((finding) => finding.file).sort()).toEqual(
        ["README.md", "config.json", "model.safetensors"].map((name) => `hf://0penai/tiny-model@${COMMIT}/${name}`),
      );
      expect(lookalikes[0]?.message).toMatch(
        /^0penai\/tiny-model@[0-9a-f]{40} \(Hugging Face cache folder\) looks like the namespace openai but is not it/,
      );
      expect(result.exitCode).toBe(1);
      const written = JSON.parse(await readFile(output, "utf8"));
      expectValid(written);
      expect(written.components).toEqual([
        expect.objectContaining({
          name: `hf://0penai/tiny-model@${COMMIT}/model.safetensors`,
          supplier: { name: "0penai", url: ["https://huggingface.co/0penai"] },
          purl: `pkg:huggingface/0penai/tiny-model@${COMMIT}`,
          licenses: [{ license: { id: "MIT", acknowledgement: "declared" } }],
        }),
      ]);
    } finally {
      await hub.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
