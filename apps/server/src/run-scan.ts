import type { ScanLevel, Severity } from "@modelaudit/core";
import type { ExitCode, Report } from "@modelaudit/core/engine";
import { exitCodeFor, scan } from "@modelaudit/core/engine";
import { canonicalReport } from "@modelaudit/report";
import type { Engine } from "./load-engine.js";
import type { UploadedFile } from "./receive-upload.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

export interface RunScanOptions {
  level?: ScanLevel;
  failOn?: Severity;
  /** Worker threads for a scan of several files (core scans a single file on this thread). */
  threads: number;
}

/**
 * Scans uploaded files with the server's registry and config, and returns the canonical report
 * with the uploaded names in place of the temporary paths (everywhere, not only `path`/`file`).
 */
export async function runScan(
  files: readonly UploadedFile[],
  uploadDirectory: string,
  engine: Engine,
  options: RunScanOptions,
): Promise<{ report: Report; exitCode: ExitCode }> {
  const config = {
    ...engine.config,
    ...(options.level ? { level: options.level } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  };
  const scanned = await scan(
    files.map((file) => file.diskPath),
    {
      registry: engine.registry,
      config,
      tool: { name: SERVER_NAME, version: SERVER_VERSION },
      workers: { pluginUrls: engine.pluginUrls, threads: options.threads },
    },
  );
  const renamed = replaceStrings(scanned, (text) => {
    let result = text;
    for (const file of files) result = result.split(file.diskPath).join(file.name);
    // Anything else naming the private directory (should not happen) still must not leak it.
    return result.split(uploadDirectory).join("<upload>");
  }) as Report;
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
