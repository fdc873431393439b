import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ExitCode, FileEntry } from "@modelaudit/core/engine";
import type { ResolvedIo } from "./io.js";
import { loadSetup } from "./load-setup.js";
import { hashFiles } from "./manifest/hash-files.js";
import { buildManifest, compareManifest, type ManifestDifference } from "./manifest/manifest.js";
import { isIgnored, MAX_MANIFEST_BYTES, ManifestError, readManifest } from "./manifest/read-manifest.js";
import { type SignatureFlags, verifyManifestSignature } from "./signature-stage.js";
import { UsageError } from "./usage-error.js";
import { CLI_NAME, CLI_VERSION } from "./version.js";

export interface VerifyFlags extends SignatureFlags {
  manifest: string;
  format: "text" | "json";
  config?: string;
  plugin?: string[];
  jobs?: number;
}

/**
 * `modelaudit verify <dir> --manifest FILE`: hashes the folder (one pass per file) and lists every file
 * added, removed or changed since the manifest was written. The manifest is a ModelAudit manifest or an
 * OpenSSF model-signing bundle/statement. Exit 1 on any change, else 2 when a file could not be read,
 * else 0.
 */
export async function verifyCommand(directory: string, flags: VerifyFlags, io: ResolvedIo): Promise<ExitCode> {
  const root = path.resolve(io.cwd, directory);
  const manifestFile = path.resolve(io.cwd, flags.manifest);
  let text: string;
  try {
    const bytes = await readFile(manifestFile);
    if (bytes.length > MAX_MANIFEST_BYTES) throw new Error(`larger than ${MAX_MANIFEST_BYTES} bytes`);
    text = bytes.toString("utf8");
  } catch (error) {
    throw new UsageError(`cannot read manifest ${flags.manifest}: ${(error as Error).message}`);
  }
  let expected: ReturnType<typeof readManifest>;
  try {
    expected = readManifest(text, flags.manifest);
  } catch (error) {
    if (error instanceof ManifestError) throw new UsageError(error.message);
    throw error;
  }
  // A model-signing bundle's own signature: a manifest nobody can vouch for proves nothing.
  const signature = await verifyManifestSignature(JSON.parse(text), flags, io);
  const setup = await loadSetup({
    cwd: io.cwd,
    resolvePlugin: io.resolvePlugin,
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.plugin ? { extraPlugins: flags.plugin } : {}),
  });
  const members = expected.files.some((file) => file.members !== undefined);
  const sha512 = expected.files.some((file) => file.sha512 !== undefined);
  const report = await hashFiles([root], setup, {
    sha512,
    members,
    ...(flags.jobs !== undefined ? { threads: flags.jobs } : {}),
  });
  // The manifest (or signature bundle) kept in the folder is not part of what it describes.
  const entries = report.files.filter((file) => path.resolve(file.path) !== manifestFile);
  const badSignature = signature?.checked === true && !signature.valid;
  const { difference, failed, exitCode } = judgeFolder(expected, entries, root, badSignature);

  if (flags.format === "json") {
    const result = {
      manifest: flags.manifest,
      kind: expected.kind,
      ...(signature && { signature }),
      ...difference,
      unreadable: failed,
      exitCode,
    };
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (signature) io.stdout.write(`signature ${signature.checked ? "" : "not checked: "}${signature.detail}\n`);
    io.stdout.write(renderDifference(difference, failed, expected.kind));
  }
  return exitCode;
}

/**
 * The folder's files (as the scan hashed them) against the manifest. Exit 1 on any difference or a
 * bundle signature that does not verify, else 2 when a file could not be read, else 0. An unreadable
 * file is not "removed": it is there, its bytes are unknown.
 */
export function judgeFolder(
  expected: ReturnType<typeof readManifest>,
  entries: readonly FileEntry[],
  root: string,
  badSignature = false,
): { difference: ManifestDifference; failed: { path: string; reason: string }[]; exitCode: ExitCode } {
  const actual = buildManifest(entries, root, { name: CLI_NAME, version: CLI_VERSION }).files.filter(
    (file) => !isIgnored(file.path, expected.ignorePaths),
  );
  const difference = compareManifest(expected.files, actual);
  const failed = entries
    .filter((file) => file.sha256 === null || file.outcome === "error")
    .map((file) => ({
      path: path.relative(root, file.path).split(path.sep).join("/"),
      reason: file.reasons[0] ?? "could not be read",
    }));
  const unreadablePaths = new Set(failed.map((file) => file.path));
  difference.removed = difference.removed.filter((file) => !unreadablePaths.has(file));
  const changed = difference.added.length + difference.removed.length + difference.changed.length > 0;
  const exitCode: ExitCode = changed || badSignature ? 1 : failed.length > 0 ? 2 : 0;
  return { difference, failed, exitCode };
}

function renderDifference(
  difference: ManifestDifference,
  failed: readonly { path: string; reason: string }[],
  kind: string,
): string {
  const lines: string[] = [];
  for (const file of difference.added) lines.push(`added    ${file}`);
  for (const file of difference.removed) lines.push(`removed  ${file}`);
  for (const file of difference.changed) lines.push(`changed  ${file.path}\n         ${file.why.join("\n         ")}`);
  for (const file of failed) lines.push(`unreadable ${file.path}: ${file.reason}`);
  const total = difference.added.length + difference.removed.length + difference.changed.length;
  lines.push(
    total === 0
      ? `verified against the ${kind} manifest: ${difference.unchanged} files unchanged${failed.length > 0 ? `, ${failed.length} unreadable` : ""}`
      : `${total} difference${total === 1 ? "" : "s"} from the ${kind} manifest (${difference.added.length} added, ${difference.removed.length} removed, ${difference.changed.length} changed; ${difference.unchanged} unchanged)`,
  );
  return `${lines.join("\n")}\n`;
}
