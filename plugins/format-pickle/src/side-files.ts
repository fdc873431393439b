import path from "node:path";
import { FileSource, type ParseContext, type ReferenceFact } from "@modelaudit/core";
import { type ResolvedBesideModel, resolveBesideModel } from "@modelaudit/core/format";

/** Side files read into one pickle's scan, at most (joblib 0.9 wrote one per array). */
const MAX_SIDE_FILES = 64;

/**
 * Emits the files joblib.load opens beside a pickle (joblib < 0.10's NDArrayWrapper reads
 * `os.path.join(os.path.dirname(main_file), filename)` with np.load(allow_pickle=True) at its BUILD),
 * each with where it resolves for this file and, when it stays in the file's directory, whether a
 * regular file is there. A side file that is there is scanned as part of this file, as the loader
 * reads it as part of loading it: scanning the main file alone does not pass the pickle its side
 * array carries. Symbolic links are followed as the loader's open follows them: to a file inside the
 * folder, that file is scanned; out of the folder, the reference carries the link for the detectors
 * to judge and nothing behind it is read. Detectors judge the rest.
 */
export async function emitSideFiles(context: ParseContext, facts: readonly ReferenceFact[]): Promise<void> {
  // An archive member has no directory of its own on disk: the reference alone is emitted.
  const onDisk = context.memberChain.length === 0;
  const directory = path.dirname(path.resolve(context.file));
  const checked = new Map<string, ResolvedBesideModel>();
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
    let found = checked.get(resolved);
    const first = found === undefined;
    if (found === undefined) {
      context.checkDeadline();
      // Links followed and whether a regular file is there (lstat, readlink, realpath, stat: nothing opened).
      found = await resolveBesideModel(directory, path.relative(directory, resolved));
      checked.set(resolved, found);
    }
    const { file, link } = found;
    context.emit({
      ...fact,
      resolved: { path: resolved, exists: file !== undefined },
      ...(link ? { link } : {}),
    });
    if (first && file !== undefined && link?.outside !== true && scanned < MAX_SIDE_FILES) {
      scanned++;
      await context.scanChild(path.relative(directory, resolved), new FileSource(file.path, file.size));
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
