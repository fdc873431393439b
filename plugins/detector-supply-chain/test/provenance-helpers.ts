import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Config, Report } from "@modelaudit/core/engine";
import { scanPaths } from "@modelaudit/core/testing";
import huggingface from "@modelaudit/format-huggingface";
import plugin from "../src/index.js";

export const PROVENANCE_FIXTURES = new URL("../../../tooling/fixtures/provenance/", import.meta.url);
export const LICENSE_FIXTURES = new URL("../../../tooling/fixtures/licenses/", import.meta.url);

/** The plugin with the Hugging Face handlers that read model cards and configs. */
export const plugins = [plugin, huggingface] as const;

export function scanWith(paths: readonly string[], options: Record<string, unknown> = {}, config: Config = {}) {
  return scanPaths(paths, [...plugins], { ...config, options: { "supply-chain": options } });
}

/** `[ruleId, messageId, evidence]` of every finding, in report order. */
export function records(report: Report): [string, string, string | undefined][] {
  return report.findings.map((finding) => [finding.ruleId, finding.messageId, finding.evidence]);
}

/** Writes `files` (relative path → text) into a fresh temp folder, runs `body` with it, removes it. */
export async function withFolder<T>(files: Record<string, string>, body: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(tmpdir(), "modelaudit-provenance-"));
  try {
    for (const [relative, text] of Object.entries(files)) {
      const target = path.join(root, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    return await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The notes the checks of `ruleId` carry, per file base name: the records (licenses, sources, base models). */
export function notes(report: Report, ruleId: string): string[] {
  return report.checks.filter((check) => check.ruleId === ruleId).flatMap((check) => check.notes ?? []);
}
