import { lstat, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { globToRegExp, matchesAny } from "./glob.js";

export interface WalkedFile {
  path: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Inputs that do not exist or cannot be read. */
  missing: string[];
}

/**
 * Expands paths to files. No extension filter: content decides what a file is. Symbolic links to
 * files are followed; links to directories are not (they can loop or leave the tree).
 */
export async function walkPaths(inputs: readonly string[], ignore: readonly string[] = []): Promise<WalkResult> {
  const patterns = ignore.map(globToRegExp);
  const files: WalkedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();

  async function visit(filePath: string, root: string, isTopLevel: boolean): Promise<void> {
    const relative = path.relative(root, filePath) || path.basename(filePath);
    if (!isTopLevel && matchesAny(relative, patterns)) return;
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(filePath);
    } catch {
      missing.push(filePath);
      return;
    }
    if (info.isSymbolicLink()) {
      try {
        info = await stat(filePath);
      } catch {
        missing.push(filePath);
        return;
      }
      if (info.isDirectory() && !isTopLevel) return;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(filePath);
      } catch {
        missing.push(filePath);
        return;
      }
      names.sort();
      for (const name of names) await visit(path.join(filePath, name), root, false);
      return;
    }
    if (!info.isFile()) return;
    const key = path.resolve(filePath);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path: filePath, size: info.size });
  }

  for (const input of inputs) {
    const root = input;
    await visit(input, root, true);
  }
  return { files, missing };
}
