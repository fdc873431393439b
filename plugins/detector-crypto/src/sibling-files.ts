import { type Dir, opendirSync } from "node:fs";
import path from "node:path";

/** Directory entries read at most when looking beside a key file: model folders are small. */
export const MAX_SIBLINGS = 4096;

/**
 * Names of the regular files beside a scanned top-level file, bounded. The engine scans every file of
 * a folder as its own artifact, so "a key beside encrypted weights" can only be seen from one of them
 * by looking at its directory. Only names are read, never contents; an unreadable directory (a
 * scan of bytes with no real path) gives an empty list.
 */
export function siblingNames(file: string): string[] {
  let directory: Dir | undefined;
  const names: string[] = [];
  try {
    directory = opendirSync(path.dirname(path.resolve(file)));
    for (
      let entry = directory.readSync();
      entry !== null && names.length < MAX_SIBLINGS;
      entry = directory.readSync()
    ) {
      if (entry.isFile() && entry.name !== path.basename(file)) names.push(entry.name);
    }
  } catch {
    return names;
  } finally {
    try {
      directory?.closeSync();
    } catch {
      // already closed
    }
  }
  return names;
}
