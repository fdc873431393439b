import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ExitCode } from "@modelaudit/core/engine";
import type { ResolvedIo } from "./io.js";
import { loadSetup } from "./load-setup.js";
import { hashFiles, unreadable } from "./manifest/hash-files.js";
import { buildManifest } from "./manifest/manifest.js";
import { UsageError } from "./usage-error.js";
import { CLI_NAME, CLI_VERSION } from "./version.js";

export interface HashFlags {
  output?: string;
  members: boolean;
  config?: string;
  plugin?: string[];
  jobs?: number;
}

/**
 * `modelaudit hash <dir|files...> [-o manifest.json]`: SHA-256 and SHA-512 of every file and archive
 * member, from the scan's one pass. Exit 0, or 2 when a file could not be read (it is left out).
 */
export async function hashCommand(paths: string[], flags: HashFlags, io: ResolvedIo): Promise<ExitCode> {
  if (paths.length === 0) throw new UsageError("no paths to hash");
  const targets = paths.map((target) => path.resolve(io.cwd, target));
  const setup = await loadSetup({
    cwd: io.cwd,
    resolvePlugin: io.resolvePlugin,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.plugin ? { extraPlugins: flags.plugin } : {}),
  });
  const base = await manifestBase(targets, io.cwd);
  const output = flags.output === undefined ? undefined : path.resolve(io.cwd, flags.output);
  const report = await hashFiles(targets, setup, {
    sha512: true,
    members: flags.members,
    ...(flags.jobs !== undefined ? { threads: flags.jobs } : {}),
  });
  // A manifest written into the folder it describes from an earlier run is not part of the model.
  const entries = report.files.filter((file) => path.resolve(file.path) !== output);
  const manifest = buildManifest(entries, base, { name: CLI_NAME, version: CLI_VERSION });
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (output !== undefined) {
    try {
      await writeFile(output, text);
    } catch (error) {
      throw new UsageError(`cannot write ${flags.output}: ${(error as Error).message}`);
    }
    io.stderr.write(`${manifest.files.length} files hashed; manifest written to ${flags.output}\n`);
  } else {
    io.stdout.write(text);
  }
  const failed = unreadable({ ...report, files: entries });
  for (const file of failed) io.stderr.write(`modelaudit: not hashed: ${file.path}: ${file.reason}\n`);
  return failed.length > 0 ? 2 : 0;
}

/** Paths in the manifest are relative to the one directory given, otherwise to the working directory. */
export async function manifestBase(targets: readonly string[], cwd: string): Promise<string> {
  if (targets.length === 1) {
    const info = await stat(targets[0] as string).catch(() => undefined);
    if (info?.isDirectory()) return targets[0] as string;
  }
  return cwd;
}
