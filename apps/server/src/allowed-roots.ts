import { realpathSync } from "node:fs";
import { lstat, readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { hasUnsafeCharacters } from "./file-name.js";
import { HttpError } from "./http-error.js";

/** Entries looked at when checking a folder for links that leave the roots; a larger tree is refused. */
const MAX_ENTRIES = 100_000;

/** The folders path scans may read, resolved once (a root that is itself a link counts as its target). */
export function resolveRoots(roots: readonly string[]): string[] {
  return roots.map((root) => realpathSync(path.resolve(root)));
}

function inside(roots: readonly string[], target: string): boolean {
  return roots.some((root) => target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/**
 * Checks paths a client asks to scan: absolute, no `..` segment, and their real path (every link
 * resolved) under an allowed root. For a folder, every link inside it must stay under a root too,
 * since the engine follows links to files. 403 otherwise, also for a path that does not exist;
 * 400 for a path, or a name inside the folder, with control or bidirectional characters.
 * The answer never says where the roots are.
 */
export async function checkScanPaths(roots: readonly string[], paths: readonly string[]): Promise<void> {
  if (roots.length === 0) throw new HttpError(403, "path-scans-disabled", "this server accepts uploads only");
  for (const requested of paths) {
    // A control or bidirectional character in a name could make the report lie about which file it judged.
    if (hasUnsafeCharacters(requested)) throw unsafeName();
    if (!path.isAbsolute(requested) || requested.split(/[/\\]/).includes("..") || requested.includes("\0")) {
      throw new HttpError(403, "path-not-allowed", "paths must be absolute, without `..`, under an allowed root");
    }
    let real: string;
    try {
      real = await realpath(requested);
    } catch {
      // Same answer whether it is missing or unreadable, so probing outside the roots learns nothing.
      throw new HttpError(403, "path-not-allowed", "the path is not under an allowed root or does not exist");
    }
    if (!inside(roots, real)) {
      throw new HttpError(403, "path-not-allowed", "the path is not under an allowed root or does not exist");
    }
    if ((await lstat(real)).isDirectory()) await checkTree(roots, real);
  }
}

async function checkTree(roots: readonly string[], top: string): Promise<void> {
  const pending = [top];
  let seen = 0;
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) throw new HttpError(403, "path-too-large", `folders over ${MAX_ENTRIES} entries`);
      if (hasUnsafeCharacters(entry.name)) throw unsafeName();
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target !== undefined && !inside(roots, target)) {
          throw new HttpError(403, "path-not-allowed", "a link inside the folder leads outside the allowed roots");
        }
      }
    }
  }
}

function unsafeName(): HttpError {
  return new HttpError(
    400,
    "invalid-file-name",
    "a path or a name in the folder has control or bidirectional characters",
  );
}
