import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { ParseContext, ProblemList } from "@modelaudit/core";
import type { ExternalReference } from "./emit-facts.js";

/**
 * True when an external data location leaves the model's directory: parent segments, absolute
 * POSIX or Windows paths, drive letters, UNC paths, NUL bytes. Such paths are never opened here;
 * the custom-ops detector judges them from the reference fact.
 */
export function escapesModelDirectory(location: string): boolean {
  if (location === "" || location.includes("\0")) return true;
  if (location.startsWith("/") || location.startsWith("\\") || /^[a-zA-Z]:/.test(location)) return true;
  return location.split(/[\\/]+/).some((segment) => segment === "..");
}

/**
 * For a model read from disk (not from inside an archive): checks that each contained external
 * data file exists beside it and is long enough. Only stat and realpath; nothing is read.
 */
export async function checkExternalFiles(
  context: Pick<ParseContext, "file" | "memberChain">,
  references: readonly ExternalReference[],
  problems: ProblemList,
): Promise<void> {
  if (context.memberChain.length > 0 || references.length === 0) return;
  const directory = path.dirname(path.resolve(context.file));
  const realDirectory = await realpath(directory).catch(() => directory);
  const checked = new Map<string, number | null>();
  for (const reference of references) {
    if (escapesModelDirectory(reference.location)) continue;
    const where = { path: reference.path };
    const candidate = path.join(directory, reference.location);
    let size = checked.get(candidate);
    if (size === undefined) {
      size = null;
      try {
        const real = await realpath(candidate);
        if (!isInside(realDirectory, real)) {
          // Legitimate layouts (the Hugging Face cache) symlink data files elsewhere: note it, do not follow it.
          problems.add(
            "unusual-structure",
            `external data ${reference.location} for tensor ${reference.tensor} is a link to a file outside the model directory`,
            where,
            false,
          );
          checked.set(candidate, null);
          continue;
        }
        const info = await stat(real);
        size = info.isFile() ? info.size : null;
      } catch {
        size = null;
      }
      checked.set(candidate, size);
    }
    if (size === null) {
      problems.add(
        "unusual-structure",
        `external data file ${reference.location} for tensor ${reference.tensor} is missing beside the model`,
        where,
        false,
      );
      continue;
    }
    const end = (reference.offset ?? 0) + (reference.length ?? 0);
    if (end > size) {
      problems.add(
        "truncated",
        `external data for tensor ${reference.tensor} needs bytes up to ${end} of ${reference.location}, which has ${size}`,
        where,
        false,
      );
    }
  }
}

function isInside(directory: string, candidate: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
