import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import type { FileEntry, Report } from "@modelaudit/core/engine";
import { sortReport } from "@modelaudit/core/engine";
import { UsageError } from "../usage-error.js";
import { DownloadBudget, type DownloadLimits, type StagedInput } from "./budget.js";
import { createGuardedFetch, isLoopbackHost } from "./guarded-fetch.js";
import { downloadUrl } from "./https-url.js";
import { Staging } from "./staging.js";
import { looksRemote, parseRemoteTarget } from "./target.js";

export const DEFAULT_HUB_URL = "https://huggingface.co";

export interface RemoteOptions {
  /** HF_TOKEN (bearer token for the Hub) and HF_ENDPOINT (a Hub mirror) are read from here. */
  env: Record<string, string | undefined>;
  limits: DownloadLimits;
  /** Where the temp directory for downloads is made (default: the system temp directory). */
  downloadDir?: string;
  /** The fetch under the guard (default: the global one). */
  fetch?: typeof fetch;
  /** One line per remote input downloaded, for people watching. */
  onStatus?: (line: string) => void;
}

export interface PreparedInputs {
  /** What to hand the engine: local inputs as given, remote ones as their downloaded copies. */
  targets: string[];
  /** Names files by their remote URIs, adds what was not downloaded (inconclusive) and the sources. */
  finish(report: Report): void;
  /** Deletes every download; safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Downloads the remote inputs among `inputs` (`hf://org/repo[@revision]`, `https://` URLs) into one
 * temp directory under the size caps; local inputs pass through untouched. On any error the
 * downloads are deleted before the error propagates.
 */
export async function prepareInputs(inputs: readonly string[], options: RemoteOptions): Promise<PreparedInputs> {
  if (!inputs.some(looksRemote)) return { targets: [...inputs], finish: () => {}, dispose: async () => {} };
  // Parse everything first: a typo fails before anything is downloaded.
  const parsed = inputs.map((input) => (looksRemote(input) ? parseRemoteTarget(input) : input));
  const hubUrl = hubUrlFrom(options.env);
  const token = options.env.HF_TOKEN?.trim() || undefined;

  const staging = await Staging.create(options.downloadDir);
  try {
    const guarded = createGuardedFetch({
      credentialOrigin: new URL(hubUrl).origin,
      signal: staging.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const budget = new DownloadBudget(options.limits);
    const staged: StagedInput[] = [];
    const targets: string[] = [];
    for (const target of parsed) {
      if (typeof target === "string") {
        targets.push(target);
        continue;
      }
      options.onStatus?.(`downloading ${target.input}\n`);
      const directory = await mkdtemp(path.join(staging.directory, "input-"));
      const input =
        target.kind === "huggingface"
          ? await (await import("./huggingface.js")).downloadHubRepository(
              target,
              directory,
              { hubUrl, fetch: guarded, ...tokenOf(token) },
              budget,
            )
          : await downloadUrl(
              target,
              directory,
              { fetch: guarded, tokenOrigin: new URL(hubUrl).origin, ...tokenOf(token) },
              budget,
            );
      staged.push(input);
      if (input.local !== undefined) targets.push(input.local);
      options.onStatus?.(statusLine(input));
    }
    return { targets, finish: (report) => finishReport(report, staged), dispose: () => staging.dispose() };
  } catch (error) {
    await staging.dispose();
    throw error;
  }
}

function hubUrlFrom(env: Record<string, string | undefined>): string {
  const configured = env.HF_ENDPOINT?.trim() || DEFAULT_HUB_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new UsageError(`HF_ENDPOINT: "${configured}" is not a URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new UsageError("HF_ENDPOINT: only https:// (or http:// on a loopback address) is accepted");
  }
  return configured.replace(/\/+$/, "");
}

function tokenOf(token: string | undefined): { accessToken?: string } {
  return token !== undefined ? { accessToken: token } : {};
}

function statusLine(input: StagedInput): string {
  const at = input.source.commit !== undefined ? ` at ${input.source.commit}` : "";
  const skipped = input.notDownloaded.length > 0 ? `, ${input.notDownloaded.length} not downloaded` : "";
  return `downloaded ${input.source.input}${at}${skipped}\n`;
}

function finishReport(report: Report, staged: readonly StagedInput[]): void {
  const roots = staged.flatMap((input) =>
    input.local !== undefined ? [{ local: input.local, display: input.displayRoot }] : [],
  );
  const rename = (file: string): string => {
    for (const { local, display } of roots) {
      if (file === local) return display;
      if (file.startsWith(`${local}${path.sep}`)) {
        return `${display}/${file
          .slice(local.length + 1)
          .split(path.sep)
          .join("/")}`;
      }
    }
    return file;
  };
  // Messages and reasons quote paths too (core prefixes reasons with the file's path).
  const rewrite = (text: string): string =>
    roots.reduce((result, { local, display }) => result.split(local).join(display), text);

  for (const file of report.files) {
    file.path = rename(file.path);
    file.reasons = file.reasons.map(rewrite);
  }
  for (const finding of report.findings) {
    finding.file = rename(finding.file);
    finding.message = rewrite(finding.message);
  }
  for (const check of report.checks) {
    check.file = rename(check.file);
    if (check.reason !== undefined) check.reason = rewrite(check.reason);
  }
  for (const entry of report.skipped) {
    entry.path = rename(entry.path);
    entry.reason = rewrite(entry.reason);
  }

  for (const input of staged) {
    for (const missing of input.notDownloaded)
      report.files.push(notDownloadedEntry(missing.path, missing.size, missing.reason));
  }
  report.sources = staged.map((input) => input.source);

  const { files, summary } = report;
  summary.files = files.length;
  summary.outcomes = {
    clean: files.filter((file) => file.outcome === "clean").length,
    findings: files.filter((file) => file.outcome === "findings").length,
    inconclusive: files.filter((file) => file.outcome === "inconclusive").length,
    error: files.filter((file) => file.outcome === "error").length,
  };
  sortReport(report);
}

function notDownloadedEntry(filePath: string, size: number, reason: string): FileEntry {
  return {
    path: filePath,
    size,
    formats: [],
    sha256: null,
    outcome: "inconclusive",
    reasons: [reason],
    members: 0,
    durationMs: 0,
  };
}
