import type { ScanLevel, Severity } from "@modelaudit/core";
import type { ExitCode, Report } from "@modelaudit/core/engine";
import { exitCodeFor, scan } from "@modelaudit/core/engine";
import { canonicalReport } from "@modelaudit/report";
import type { Engine } from "./load-engine.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

export interface RunScanOptions {
  level?: ScanLevel;
  failOn?: Severity;
  /**
   * The private directory an upload sits in: scanned as one model folder (sibling files such as the
   * shards of a safetensors model are seen together), and its path replaced by nothing in the
   * report so clients see their own file names, never the server's.
   */
  uploadDirectory?: string;
}

/** Scans with the engine's registry and config and returns the canonical report with its exit code. */
export async function runScan(
  paths: readonly string[],
  engine: Engine,
  options: RunScanOptions,
): Promise<{ report: Report; exitCode: ExitCode }> {
  const config = {
    ...engine.config,
    ...(options.level ? { level: options.level } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  };
  const scanned = await scan(paths, {
    registry: engine.registry,
    config,
    tool: { name: SERVER_NAME, version: SERVER_VERSION },
  });
  const directory = options.uploadDirectory;
  const renamed = directory
    ? (replaceStrings(scanned, (text) =>
        // The folder's own path first with its separator (file paths), then alone (anything else).
        text.split(`${directory}/`).join("").split(directory).join("<upload>"),
      ) as Report)
    : scanned;
  const report = canonicalReport(renamed);
  // The engine already used the threshold; recomputing keeps the contract in one place (as the CLI does).
  const exitCode = exitCodeFor(report.files, report.findings, config.failOn);
  report.summary.exitCode = exitCode;
  return { report, exitCode };
}

/** A deep copy of plain JSON-like data with every string passed through `replace`. */
function replaceStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === "string") return replace(value);
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replace));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = replaceStrings(item, replace);
    return copy;
  }
  return value;
}
