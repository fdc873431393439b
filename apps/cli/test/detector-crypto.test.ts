import { execFile } from "node:child_process";

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, manifest } from "../../../plugins/detector-crypto/test/helpers.js";

// The built CLI with only this detector and the format plugins (`extends: []`): the package works
// on its own, as a user who installs only @modelaudit/detector-crypto runs it.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "apps/cli/bin/modelaudit.js");
const PLUGINS = [
  "plugins/format-huggingface",
  "plugins/format-pickle",
  "plugins/format-archive",
  "plugins/format-pytorch",
  "plugins/format-safetensors",
  "plugins/detector-crypto",
].map((directory) => path.join(ROOT, directory, "dist/index.js"));

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
}

describe("the CLI with only the crypto detector and the format plugins", () => {
  let directory: string;
  let config: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "crypto-cli-"));
    config = path.join(directory, "config.json");
    await writeFile(config, JSON.stringify({ extends: [], plugins: PLUGINS }));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("finds every malicious fixture with its rules and nothing in the benign ones", async () => {
    const folder = FIXTURES.pathname;
    const result = await promisify(execFile)(
      process.execPath,
      [CLI, "scan", folder, "--format", "json", "--no-progress", "--config", config],
      { maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    // Exit 1: findings at or above the warning threshold.
    expect("code" in result ? result.code : 0).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Finding[]; plugins: { name: string }[] };
    expect(report.plugins.map((plugin) => plugin.name)).toContain("@modelaudit/detector-crypto");
    const byFile = new Map<string, Set<string>>();
    for (const finding of report.findings) {
      const relative = path.relative(folder, finding.file).split(path.sep).join("/");
      byFile.set(relative, (byFile.get(relative) ?? new Set()).add(finding.ruleId));
    }
    for (const entry of manifest()) {
      const rules = [...(byFile.get(entry.file) ?? [])].sort();
      expect(rules, entry.file).toEqual([...entry.rules].sort());
    }
  });
});
