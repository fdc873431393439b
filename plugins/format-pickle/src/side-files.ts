import { stat } from "node:fs/promises";
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
  const checked = new Map<string, { found: ResolvedBesideModel; size?: number }>();
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
    let entry = checked.get(resolved);
    const first = entry === undefined;
    if (entry === undefined) {
      context.checkDeadline();
      // Links followed (lstat, readlink, realpath: nothing opened), then whether a regular file is there.
      const found = await resolveBesideModel(directory, path.relative(directory, resolved));
      const size = found.real === undefined ? undefined : await regularFileSize(found.real);
      entry = size === undefined ? { found } : { found, size };
      checked.set(resolved, entry);
    }
    const { found, size } = entry;
    const leaves = found.link?.outside === true;
    context.emit({
      ...fact,
      resolved: { path: resolved, exists: size !== undefined },
      ...(found.link ? { link: found.link } : {}),
    });
    if (first && size !== undefined && !leaves && found.real !== undefined && scanned < MAX_SIDE_FILES) {
      scanned++;
      await context.scanChild(path.relative(directory, resolved), new FileSource(found.real, size));
    }
  }
}

/** The size of a regular file at `file` (links already followed), or undefined when there is none. */
async function regularFileSize(file: string): Promise<number | undefined> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? info.size : undefined;
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** A `..` segment: the path the loader opens may leave the directory through links; not looked at. */
function climbs(target: string): boolean {
  return target.split(/[\\/]+/).includes("..");
}
