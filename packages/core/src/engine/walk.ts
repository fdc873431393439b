import type { Stats } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import path from "node:path";
import type { SkippedEntry } from "../report.js";
import { ignoreMatcher } from "./glob.js";

export interface WalkedFile {
  path: string;
  size: number;
}

/** An input named on the command line that cannot be scanned, with why. */
export interface UnscannableInput {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Inputs that do not exist or cannot be read (named ones, or directories found unreadable). */
  missing: UnscannableInput[];
  /** Inputs named on the command line that exist but are not files or directories (FIFOs, devices, ...). */
  unscannable: UnscannableInput[];
  /** What the walk passed over below a named input, with why: nothing is left out silently. */
  skipped: SkippedEntry[];
}

/** Entries of a directory whose lstat runs at once: many small files are file-system round trips. */
const LSTAT_BATCH = 64;

type Lstat = { info: Stats } | { error: unknown };

function lstatOf(filePath: string): Promise<Lstat> {
  return lstat(filePath).then(
    (info) => ({ info }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Expands paths to files. No extension filter: content decides what a file is. Symbolic links to
 * files are followed; links to directories are not (they can loop or leave the tree), except a link
 * named on the command line. Special files (FIFOs, sockets, devices) are never opened: reading
 * `/dev/zero` never ends and opening a FIFO blocks until a writer comes.
 */
export async function walkPaths(inputs: readonly string[], ignore: readonly string[] = []): Promise<WalkResult> {
  const ignoredBy = ignore.length > 0 ? ignoreMatcher(ignore) : undefined;
  // A file is reached twice only through two inputs (the walk follows no linked directory).
  const dedupe = inputs.length > 1;
  const files: WalkedFile[] = [];
  const missing: UnscannableInput[] = [];
  const unscannable: UnscannableInput[] = [];
  const skipped: SkippedEntry[] = [];
  const seen = new Map<string, string>();

  /** Visits a named input, or an entry found below one (not ignored) with its lstat already begun. */
  async function visit(filePath: string, root: string, isTopLevel: boolean, found?: Promise<Lstat>): Promise<void> {
    const linkInfo = await (found ?? lstatOf(filePath));
    if ("error" in linkInfo) {
      missing.push({ path: filePath, reason: cannotRead(linkInfo.error) });
      return;
    }
    let info = linkInfo.info;
    let linkNote = "";
    if (info.isSymbolicLink()) {
      const target = await linkTarget(filePath);
      try {
        info = await stat(filePath);
      } catch (error) {
        // A dangling link below a named directory points at nothing to scan; a named one is an error.
        if (isTopLevel) missing.push({ path: filePath, reason: cannotRead(error) });
        else skipped.push({ path: filePath, reason: `symbolic link to ${target}, which ${cannotResolve(error)}` });
        return;
      }
      if (info.isDirectory() && !isTopLevel) {
        skipped.push({ path: filePath, reason: `symbolic link to directory ${target}, not followed` });
        return;
      }
      linkNote = `symbolic link to ${target}: `;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(filePath);
      } catch (error) {
        missing.push({ path: filePath, reason: cannotRead(error) });
        return;
      }
      if (names.length === 0) {
        skipped.push({ path: filePath, reason: `${linkNote}empty directory` });
        return;
      }
      names.sort();
      // Entries are visited in name order, each batch's lstat calls in flight together.
      for (let start = 0; start < names.length; start += LSTAT_BATCH) {
        const batch = names.slice(start, start + LSTAT_BATCH).map((name) => {
          const entry = path.join(filePath, name);
          // Patterns are relative to the scan root this path was found under, whichever root that is.
          const pattern = ignoredBy?.(path.relative(root, entry));
          return { entry, pattern, found: pattern === undefined ? lstatOf(entry) : undefined };
        });
        for (const { entry, pattern, found } of batch) {
          if (pattern !== undefined)
            skipped.push({ path: entry, reason: `ignored by pattern ${JSON.stringify(pattern)}` });
          else await visit(entry, root, false, found);
        }
      }
      return;
    }
    if (!info.isFile()) {
      const reason = `${linkNote}${specialKind(info)}, not a regular file: never opened`;
      if (isTopLevel) unscannable.push({ path: filePath, reason });
      else skipped.push({ path: filePath, reason });
      return;
    }
    if (dedupe) {
      const key = path.resolve(filePath);
      const first = seen.get(key);
      if (first !== undefined) {
        // The same path named twice, or named and found under a named directory: scanned once.
        if (first !== filePath) skipped.push({ path: filePath, reason: `same file as ${first}, scanned once` });
        return;
      }
      seen.set(key, filePath);
    }
    files.push({ path: filePath, size: info.size });
  }

  for (const input of inputs) {
    const root = input;
    await visit(input, root, true);
  }
  return { files, missing, unscannable, skipped };
}

function specialKind(info: Stats): string {
  if (info.isFIFO()) return "FIFO (named pipe)";
  if (info.isSocket()) return "socket";
  if (info.isCharacterDevice()) return "character device";
  if (info.isBlockDevice()) return "block device";
  return "special file";
}

async function linkTarget(filePath: string): Promise<string> {
  try {
    return JSON.stringify(await readlink(filePath));
  } catch {
    return "an unreadable target";
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Kept as the CLI has always said it, with the system's reason after it. */
function cannotRead(error: unknown): string {
  const code = errorCode(error);
  const detail =
    code === "ENOENT"
      ? "it does not exist"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ELOOP"
          ? "too many levels of symbolic links"
          : code === "ENOTDIR"
            ? "a component of the path is not a directory"
            : (code ?? "unknown error");
  return `path does not exist or cannot be read (${detail})`;
}

function cannotResolve(error: unknown): string {
  const code = errorCode(error);
  if (code === "ENOENT") return "does not exist (dangling link), not followed";
  if (code === "ELOOP") return "loops back on itself, not followed";
  if (code === "EACCES" || code === "EPERM") return "cannot be reached (permission denied), not followed";
  return `cannot be resolved (${code ?? "unknown error"}), not followed`;
}
