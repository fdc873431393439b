import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as backdoor from "../../../plugins/detector-backdoor/test/helpers.js";
import * as crypto from "../../../plugins/detector-crypto/test/helpers.js";
import * as dp from "../../../plugins/detector-dp/test/helpers.js";
import * as quantization from "../../../plugins/detector-quantization/test/helpers.js";
import * as stego from "../../../plugins/detector-stego/test/helpers.js";

// The built CLI with only one detector and the format plugins its fixtures need (`extends: []`):
// each package works on its own, as a user who installs only it runs it.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "apps/cli/bin/modelaudit.js");

interface Fixtures {
  FIXTURES: URL;
  manifest(): { file: string; rules: string[] }[];
}

const DETECTORS: { id: string; fixtures: Fixtures; formats: string[]; level?: "thorough" }[] = [
  // Thorough: the cross-layer fixture is found by that level's checks only.
  {
    id: "backdoor",
    fixtures: backdoor,
    formats: ["pickle", "archive", "pytorch", "safetensors", "gguf", "onnx"],
    level: "thorough",
  },
  {
    id: "stego",
    fixtures: stego,
    formats: ["safetensors", "pickle", "archive", "pytorch", "gguf", "onnx", "executable"],
  },
  {
    id: "quantization",
    fixtures: quantization,
    formats: ["safetensors", "gguf", "pickle", "pytorch", "archive", "huggingface"],
  },
  { id: "dp", fixtures: dp, formats: ["pickle", "pytorch", "archive", "huggingface"] },
  { id: "crypto", fixtures: crypto, formats: ["huggingface", "pickle", "archive", "pytorch", "safetensors"] },
];

interface Finding {
  ruleId: string;
  file: string;
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "detector-alone-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.each(DETECTORS)(
  "the CLI with only the $id detector and the format plugins",
  ({ id, fixtures, formats, level }) => {
    it("finds every malicious fixture with its rules and nothing in the benign ones", async () => {
      const plugins = [...formats.map((format) => `format-${format}`), `detector-${id}`].map((name) =>
        path.join(ROOT, "plugins", name, "dist/index.js"),
      );
      const config = path.join(directory, `${id}.json`);
      await writeFile(config, JSON.stringify({ extends: [], plugins }));
      const folder = fixtures.FIXTURES.pathname;
      const result = await promisify(execFile)(
        process.execPath,
        [
          CLI,
          "scan",
          folder,
          "--format",
          "json",
          "--no-progress",
          "--config",
          config,
          ...(level ? ["--level", level] : []),
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      ).catch((error: { code: number; stdout: string; stderr: string }) => error);
      // Exit 1: findings at or above the warning threshold.
      expect("code" in result ? result.code : 0, "stderr" in result ? result.stderr : "").toBe(1);
      const report = JSON.parse(result.stdout) as { findings: Finding[]; plugins: { name: string }[] };
      expect(report.plugins.map((plugin) => plugin.name)).toContain(`@modelaudit/detector-${id}`);
      const byFile = new Map<string, Set<string>>();
      for (const finding of report.findings) {
        if (!finding.ruleId.startsWith(`${id}/`)) continue;
        const relative = path.relative(folder, finding.file).split(path.sep).join("/");
        byFile.set(relative, (byFile.get(relative) ?? new Set()).add(finding.ruleId));
      }
      for (const entry of fixtures.manifest()) {
        expect([...(byFile.get(entry.file) ?? [])].sort(), entry.file).toEqual([...entry.rules].sort());
      }
    });
  },
);
