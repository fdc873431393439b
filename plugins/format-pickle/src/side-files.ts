import { lstat, stat } from "node:fs/promises";
import path from "node:path";
import { FileSource, type ParseContext, type ReferenceFact } from "@modelaudit/core";

/** Side files read into one pickle's scan, at most (joblib 0.9 wrote one per array). */
const MAX_SIDE_FILES = 64;

/**
 * Emits the files joblib.load opens beside a pickle (joblib < 0.10's NDArrayWrapper reads
 * `os.path.join(os.path.dirname(main_file), filename)` with np.load(allow_pickle=True) at its BUILD),
 * each with where it resolves for this file and, when it stays in the file's directory, whether a
 * regular file is there. A side file that is there (a regular file, not a link) is scanned as part of
 * this file, as the loader reads it as part of loading it: scanning the main file alone does not pass
 * the pickle its side array carries. Detectors judge the rest.
 */
export async function emitSideFiles(context: ParseContext, facts: readonly ReferenceFact[]): Promise<void> {
  // An archive member has no directory of its own on disk: the reference alone is emitted.
  const onDisk = context.memberChain.length === 0;
  const directory = path.dirname(path.resolve(context.file));
  const checked = new Map<string, boolean>();
  let scanned = 0;
  for (const fact of facts) {
    if (!onDisk || fact.target.includes("\0")) {
      context.emit(fact);
      continue;
    }
    // os.path.join: an absolute filename replaces the directory.
    const resolved = path.resolve(directory, fact.target);
    if (!isInside(directory, resolved) || climbs(fact.target)) {
      context.emit({ ...fact, resolved: { path: resolved } });
      continue;
    }
    let exists = checked.get(resolved);
    const first = exists === undefined;
    if (exists === undefined) {
      context.checkDeadline();
      exists = await stat(resolved).then(
        (info) => info.isFile(),
        () => false,
      );
      checked.set(resolved, exists);
    }
    context.emit({ ...fact, resolved: { path: resolved, exists } });
    if (first && exists && scanned < MAX_SIDE_FILES) {
      // lstat: a link is not followed (where it leads is the reference's to judge, not read here).
      const info = await lstat(resolved).catch(() => null);
      if (info?.isFile()) {
        scanned++;
        await context.scanChild(path.relative(directory, resolved), new FileSource(resolved, info.size));
      }
    }
  }
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** A `..` segment: the path the loader opens may leave the directory through links; not looked at. */
function climbs(target: string): boolean {
  return target.split(/[\\/]+/).includes("..");
}
