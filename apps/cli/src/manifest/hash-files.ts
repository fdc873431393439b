import { availableParallelism } from "node:os";
import { type Report, scan } from "@modelaudit/core/engine";
import type { Setup } from "../load-setup.js";
import { CLI_NAME, CLI_VERSION } from "../version.js";

export interface HashOptions {
  /** SHA-512 beside SHA-256. */
  sha512: boolean;
  /** Digests of every archive member and decoded stream. */
  members: boolean;
  threads?: number;
}

/**
 * A scan that also collects digests: the engine hashes in its one pass over each file, so a manifest
 * costs no second read. The quick level reads no data, so digests need at least the standard level.
 */
export function hashFiles(targets: readonly string[], setup: Setup, options: HashOptions): Promise<Report> {
  const level = setup.config.level === "quick" ? "standard" : setup.config.level;
  const config = { ...setup.config, level, digests: { sha512: options.sha512, members: options.members } };
  return scan(targets, {
    registry: setup.registry,
    config,
    tool: { name: CLI_NAME, version: CLI_VERSION },
    workers: { pluginUrls: setup.pluginUrls, threads: options.threads ?? availableParallelism() },
  });
}

/** Files a scan could not read to the end: a manifest cannot vouch for them. */
export function unreadable(report: Report): { path: string; reason: string }[] {
  return report.files
    .filter((file) => file.sha256 === null || file.outcome === "error")
    .map((file) => ({ path: file.path, reason: file.reasons[0] ?? "could not be read" }));
}
