import { writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { ScanLevel, Severity } from "@modelaudit/core";
import type { ExitCode } from "@modelaudit/core/engine";
import { type Config, exitCodeFor, type scan } from "@modelaudit/core/engine";
import { type ReportFormat, renderReport, summaryLine, withRuleDocsUrls } from "@modelaudit/report";
import { applyDefaultHashDb, hashDbOverride } from "./hashdb-path.js";
import { colorEnabled, type ResolvedIo } from "./io.js";
import { loadSetup } from "./load-setup.js";
import { createProgressBar, type ProgressReporter } from "./progress.js";
import { DEFAULT_LIMITS } from "./remote/budget.js";
import { prepareInputs } from "./remote/remote-inputs.js";
import { runScan } from "./run-scan.js";
import { writeSbom } from "./sbom.js";
import { runSignatureStage, type SignatureFlags } from "./signature-stage.js";
import { UsageError } from "./usage-error.js";
import { CLI_NAME, CLI_VERSION } from "./version.js";

export interface ScanFlags extends SignatureFlags {
  format: ReportFormat;
  output?: string;
  failOn?: Severity;
  config?: string;
  level?: ScanLevel;
  quiet?: boolean;
  verbose?: boolean;
  progress: boolean;
  plugin?: string[];
  disableRule?: string[];
  ignore?: string[];
  timeout?: number;
  /** `--hashdb FILE`: the known-hash database (else MODELAUDIT_HASHDB, the config, the user cache's when present). */
  hashdb?: string;
  /** Worker threads (1 scans on the main thread). */
  jobs?: number;
  /** `--cache DIR`: per-file results reused when a file's SHA-256, the plugins and the settings are unchanged. */
  cache?: string;
  /** Remote inputs: total and per-file download caps in bytes, and where downloads are staged. */
  maxDownload?: number;
  maxDownloadFile?: number;
  downloadDir?: string;
  /** `--sbom FILE`: also write a CycloneDX 1.6 ML-BOM of the scanned model files. */
  sbom?: string;
}

/** `modelaudit scan <paths...>`: scans, writes the report, returns the exit code. */
export async function scanCommand(paths: string[], flags: ScanFlags, io: ResolvedIo): Promise<ExitCode> {
  if (paths.length === 0) throw new UsageError("no paths to scan");

  const overrides: Config = {};
  if (flags.failOn) overrides.failOn = flags.failOn;
  if (flags.level) overrides.level = flags.level;
  if (flags.ignore) overrides.ignore = flags.ignore;
  if (flags.timeout !== undefined) overrides.limits = { timeoutMs: Math.round(flags.timeout * 1000) };
  if (flags.disableRule) overrides.rules = Object.fromEntries(flags.disableRule.map((ruleId) => [ruleId, "off"]));
  const hashdb = hashDbOverride({ flag: flags.hashdb, env: io.env, cwd: io.cwd });
  if (hashdb) overrides.options = hashdb.options;

  const setup = await loadSetup({
    cwd: io.cwd,
    resolvePlugin: io.resolvePlugin,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.plugin ? { extraPlugins: flags.plugin } : {}),
    overrides,
  });
  applyDefaultHashDb(setup, io.env);
  // The SBOM lists SHA-512 beside SHA-256, computed in the same single pass over each file.
  if (flags.sbom !== undefined) setup.config.digests = { ...setup.config.digests, sha512: true };

  // hf:// and https:// inputs are downloaded to a temp directory, deleted after the scan.
  const inputs = await prepareInputs(paths, {
    env: io.env,
    limits: {
      ...DEFAULT_LIMITS,
      ...(flags.maxDownload !== undefined ? { maxTotalBytes: flags.maxDownload } : {}),
      ...(flags.maxDownloadFile !== undefined ? { maxFileBytes: flags.maxDownloadFile } : {}),
    },
    ...(flags.downloadDir !== undefined ? { downloadDir: path.resolve(io.cwd, flags.downloadDir) } : {}),
    ...(!flags.quiet && io.isTTY.stderr ? { onStatus: (line: string) => io.stderr.write(line) } : {}),
  });
  try {
    return await scanTargets(inputs.targets, flags, io, setup, inputs.finish);
  } finally {
    await inputs.dispose();
  }
}

async function scanTargets(
  paths: string[],
  flags: ScanFlags,
  io: ResolvedIo,
  setup: Awaited<ReturnType<typeof loadSetup>>,
  finish: (report: Awaited<ReturnType<typeof scan>>) => void,
): Promise<ExitCode> {
  // Core resolves relative paths against the process cwd; keep them as typed when that is ours.
  const targets = paths.map((target) =>
    path.isAbsolute(target) || path.resolve(io.cwd) === process.cwd() ? target : path.resolve(io.cwd, target),
  );

  // The bar shares stderr with nothing else, and never mixes with JSON or SARIF on stdout.
  const showProgress =
    flags.progress && !flags.quiet && io.isTTY.stderr && (flags.format === "text" || flags.output !== undefined);
  const progress: ProgressReporter | undefined = showProgress ? createProgressBar(io.stderr) : undefined;

  // Signatures are verified first; the scan compares what they vouch for with the bytes it reads.
  await runSignatureStage(setup, targets, flags, io);

  let report: Awaited<ReturnType<typeof scan>>;
  let cacheStats: { reused: number; scanned: number } | undefined;
  try {
    report = await runScan(targets, {
      setup,
      tool: { name: CLI_NAME, version: CLI_VERSION },
      threads: flags.jobs ?? defaultJobs(),
      // Only --verbose lists the checks of clean files (text and JSON); they are counted either way. The SBOM
      // reads every check's notes (licenses, sources), so --sbom keeps them.
      omitCleanChecks: !flags.verbose && flags.sbom === undefined,
      ...(progress ? { progress } : {}),
      ...(flags.cache !== undefined ? { cacheDirectory: path.resolve(io.cwd, flags.cache) } : {}),
      onCacheStats: (stats) => {
        cacheStats = stats;
      },
    });
  } finally {
    progress?.stop();
  }
  // After the bar is gone, so the line is not drawn over.
  if (cacheStats && !flags.quiet)
    io.stderr.write(`cache: ${cacheStats.reused} reused, ${cacheStats.scanned} scanned\n`);

  finish(report);
  // The engine already used the resolved threshold; recomputing keeps the contract in one place.
  const exitCode = exitCodeFor(report.files, report.findings, setup.config.failOn);
  report.summary.exitCode = exitCode;

  const toFile = flags.output !== undefined;
  const rendered = renderReport(report, flags.format, {
    color: !toFile && flags.format === "text" && colorEnabled(io, "stdout"),
    quiet: flags.quiet ?? false,
    verbose: flags.verbose ?? false,
    compact: !flags.verbose,
    baseDirectory: io.cwd,
    rules: withRuleDocsUrls(setup.registry.rules),
  });

  if (flags.output !== undefined) {
    const outputPath = path.resolve(io.cwd, flags.output);
    try {
      await writeFile(outputPath, rendered);
    } catch (error) {
      throw new UsageError(`cannot write ${flags.output}: ${(error as Error).message}`);
    }
    if (!flags.quiet) io.stderr.write(`${summaryLine(report)}\nreport written to ${flags.output}\n`);
  } else {
    io.stdout.write(rendered);
  }
  // After the report, with the names the report uses (remote files as hf:// and https:// URIs).
  if (flags.sbom !== undefined) {
    await writeSbom(report, flags.sbom, { tool: { name: CLI_NAME, version: CLI_VERSION }, baseDirectory: io.cwd });
  }
  return exitCode;
}

/**
 * Worker threads when `--jobs` is not given: one fewer than the CPUs. A scanning thread keeps more
 * than one core busy (V8 compiles and collects garbage on threads of its own, a large file hashes on
 * another), so on two cores the scan in this thread beat two workers: 2,462 against 2,153 small
 * files a second, and even on two 1 GiB files (`pnpm bench`, December 2026).
 */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}
