import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Check, Finding } from "@modelaudit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures");

interface JsonReport {
  findings: Finding[];
  checks: Check[];
  summary: { exitCode: number };
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), "modelaudit-provenance-cli-"));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function scanJson(args: string[]): Promise<{ exitCode: number; stderr: string; report: JsonReport }> {
  const result = await runCli(["scan", ...args, "--format", "json", "-j", "1"], { cwd });
  return { exitCode: result.exitCode, stderr: result.stderr, report: JSON.parse(result.stdout || "{}") as JsonReport };
}

describe("provenance and licenses through the CLI (recommended preset)", () => {
  it("typosquatted Hub cache folders warn, the real namespaces stay clean", async () => {
    const { exitCode, report } = await scanJson([path.join(fixtures, "provenance/hub")]);
    expect(exitCode).toBe(1);
    const squats = new Set(
      report.findings
        .filter((finding) => finding.ruleId === "supply-chain/lookalike-repository")
        .map((finding) => finding.file.split(path.sep).find((part) => part.startsWith("models--"))),
    );
    expect([...squats].sort()).toEqual([
      "models--0penai--gpt-oss-20b",
      "models--gooogle--gemma-2b",
      "models--meta-1lama--Llama-2-7b-hf",
      "models--m\u0435ta-llama--Llama-2-7b-hf",
    ]);
    const real = report.findings.filter((finding) => /models--(openai|google|meta-llama)--/.test(finding.file));
    expect(real.map((finding) => finding.ruleId)).toEqual(["supply-chain/unpinned-revision"]);
  });

  it("--verbose lists the license and base model of a model card as check notes", async () => {
    const card = path.join(fixtures, "licenses/model-cards/qwen2.5-72b-instruct/README.md");
    // The default (compact) report keeps a clean file's noted checks as --verbose does.
    for (const flags of [["--verbose"], []]) {
      const { exitCode, report } = await scanJson([card, ...flags]);
      expect(exitCode).toBe(0);
      const notes = report.checks.filter((check) => check.notes).map((check) => [check.ruleId, check.notes]);
      expect(notes, flags.join()).toEqual([
        ["supply-chain/license", ["LicenseRef-Qwen is declared by the model card as qwen (use-restricted)"]],
        [
          "supply-chain/lineage",
          ["huggingface.co/Qwen/Qwen2.5-72B is a base model of this model (model card base_model)"],
        ],
      ]);
    }
  });

  it("a license policy in the config: denied is critical; a malformed policy is a usage error naming the field", async () => {
    const config = path.join(cwd, "policy.json");
    await writeFile(config, JSON.stringify({ options: { "supply-chain": { licenses: { denied: ["llama2"] } } } }));
    const card = path.join(fixtures, "licenses/model-cards/codellama-34b-instruct-hf/README.md");
    const denied = await scanJson([card, "--config", config]);
    expect(denied.exitCode).toBe(1);
    expect(denied.report.findings.map((finding) => [finding.ruleId, finding.severity, finding.message])).toEqual([
      [
        "supply-chain/license-policy",
        "critical",
        "the license llama2 (LicenseRef-Llama-2-Community) is denied by options.licenses.denied",
      ],
    ]);

    await writeFile(config, JSON.stringify({ options: { "supply-chain": { licenses: { use: "commercially" } } } }));
    const malformed = await runCli(["scan", card, "--config", config], { cwd });
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain(
      'options.supply-chain.licenses.use: expected one of commercial, non-commercial, research, got "commercially"',
    );
  });

  it("a model folder without a license warns once, on its card", async () => {
    const { exitCode, report } = await scanJson([path.join(fixtures, "licenses/no-license")]);
    expect(exitCode).toBe(1);
    expect(report.findings.map((finding) => [path.basename(finding.file), finding.ruleId])).toEqual([
      ["README.md", "supply-chain/missing-license"],
    ]);
  });
});
