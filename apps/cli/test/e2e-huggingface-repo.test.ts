import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

// Tried as a new user would: `modelaudit scan <folder>` with the real recommended preset on a folder
// laid out like a Hugging Face model repository (config, tokenizer files, sharded safetensors with
// their index), then the same folder with one poisoned file added.
const fixtures = path.resolve(import.meta.dirname, "../../../tooling/fixtures");
let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "modelaudit-hf-repo-"));
  await cp(path.join(fixtures, "huggingface/hf-repo-clean"), repo, { recursive: true });
  await cp(path.join(fixtures, "safetensors/sharded-model"), repo, { recursive: true });
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function scanJson(...paths: string[]) {
  const result = await runCli(["scan", ...paths, "--format", "json", "--no-progress"], { cwd: repo });
  const report = JSON.parse(result.stdout) as {
    files: { path: string; outcome: string; formats: string[] }[];
    findings: { ruleId: string; severity: string; file: string; memberChain: string[] }[];
  };
  return { exitCode: result.exitCode, report, stderr: result.stderr };
}

async function withExtra(source: string, name: string) {
  const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-hf-variant-"));
  await cp(repo, directory, { recursive: true });
  await cp(path.join(fixtures, source), path.join(directory, name));
  return directory;
}

describe("a Hugging Face style model folder", () => {
  it("is reported clean with every file recognised", async () => {
    const { exitCode, report, stderr } = await scanJson(repo);
    expect(stderr).toBe("");
    expect(report.findings).toEqual([]);
    expect(exitCode).toBe(0);
    const formats = new Set(report.files.flatMap((file) => file.formats));
    for (const format of ["safetensors", "safetensors-index", "hf-config", "hf-tokenizer-config"]) {
      expect(formats).toContain(format);
    }
    expect(report.files.every((file) => file.outcome === "clean")).toBe(true);
  });

  it.each([
    [
      "huggingface/hf-repo-malicious-template/tokenizer_config.json",
      "tokenizer_config.json",
      "template-injection/sandbox-escape",
    ],
    ["archives/traversal_dotdot.zip", "extras.zip", "archive-safety/path-traversal"],
    ["pickle/os_system_p2.pkl", "model-00003-of-00003.safetensors", "binary/extension-mismatch"],
    ["pickle/os_system_p2.pkl", "pytorch_model.safetensors", "code-execution/dangerous-global"],
  ])("fails with %s added as %s (%s)", async (source, name, rule) => {
    const directory = await withExtra(source, name);
    try {
      const { exitCode, report } = await scanJson(directory);
      expect(exitCode).toBe(1);
      const poisoned = report.findings.filter((finding) => path.basename(finding.file) === name);
      expect(poisoned.map((finding) => finding.ruleId)).toContain(rule);
      // Only the poisoned file has findings at warning or above.
      const others = report.findings.filter(
        (finding) => path.basename(finding.file) !== name && finding.severity !== "info",
      );
      expect(others).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
