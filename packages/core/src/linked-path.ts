import { lstat, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { ReferenceLink } from "./facts.js";

/** Where a name beside a model leads on disk. */
export interface ResolvedBesideModel {
  /** The real path, links followed; undefined when nothing is there (missing, dangling link, loop). */
  real?: string;
  /** The regular file at `real` and its size (stat, not opened); undefined when there is none. */
  file?: { path: string; size: number };
  /** The first symbolic link met on the way, when there is one. */
  link?: ReferenceLink;
}

/** `<repo>/snapshots/<revision>[/...]`, the folder of a file in the Hugging Face cache. */
const HF_CACHE_SNAPSHOT = /^(.*[\\/](?:models|datasets|spaces)--[^\\/]+)[\\/]snapshots[\\/][^\\/]+(?:[\\/].*)?$/;

/**
 * Resolves `name`, a relative path that stays inside `directory` by its segments (no `..`, not
 * absolute: the caller checks), the way a loader that joins it to the model's folder reaches it:
 * symbolic links followed. Only lstat, readlink, realpath and stat; nothing is opened or read, so a link to
 * `/etc/passwd` is named, never read. A link whose real target is outside the real `directory` is
 * `outside`, unless it is the Hugging Face cache's own layout (a snapshot's file linking to a blob of
 * the same cached repository).
 */
export async function resolveBesideModel(directory: string, name: string): Promise<ResolvedBesideModel> {
  const folder = path.resolve(directory);
  const realFolder = await realpath(folder).catch(() => folder);
  const candidate = path.join(folder, name);
  const relative = path.relative(folder, candidate);
  const resolved: ResolvedBesideModel = {};
  const real = await realpath(candidate).catch(() => undefined);
  if (real !== undefined) {
    resolved.real = real;
    const info = await stat(real).catch(() => undefined);
    if (info?.isFile()) resolved.file = { path: real, size: info.size };
  }
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return resolved;
  // The first link on the way: the name itself or a folder in it.
  let current = folder;
  const segments = relative.split(path.sep);
  for (let index = 0; index < segments.length; index++) {
    current = path.join(current, segments[index] as string);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) break;
    if (!info.isSymbolicLink()) continue;
    const target = await readlink(current).catch(() => undefined);
    if (target === undefined) break;
    // Where it leads: the real path, or for a dangling link the target as written, joined to the rest.
    const leadsTo = real ?? path.resolve(path.dirname(current), target, ...(segments.slice(index + 1) as string[]));
    const link: ReferenceLink = {
      path: segments.slice(0, index + 1).join("/"),
      target,
      outside: !isInside(realFolder, leadsTo) && !isInside(folder, leadsTo),
    };
    if (link.outside && real !== undefined && isHfCacheBlob(realFolder, real)) link.hfCacheBlob = true;
    resolved.link = link;
    break;
  }
  return resolved;
}

function isInside(directory: string, candidate: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

function isHfCacheBlob(realFolder: string, real: string): boolean {
  const repository = HF_CACHE_SNAPSHOT.exec(realFolder)?.[1];
  return repository !== undefined && path.dirname(real) === path.join(repository, "blobs");
}
