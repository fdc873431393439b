import path from "node:path";
import { FileSource, type ParseContext, type ReferenceFact, SliceSource } from "@modelaudit/core";
import { type ProblemList, type ResolvedBesideModel, resolveBesideModel } from "@modelaudit/core/format";
import type { ExternalReference, ExternalTensor } from "./emit-facts.js";

/** An external data file found inside the model's directory. */
export interface ResolvedFile {
  /** The real path, links resolved. */
  path: string;
  size: number;
}

const ORT_MEMORY_ADDRESS_TAG = "*/_ORT_MEM_ADDR_/*";

/**
 * True when an external data location leaves the model's directory: parent segments, absolute
 * POSIX or Windows paths, drive letters, UNC paths, NUL bytes, onnxruntime's in-memory tag (reads the
 * process memory at the address `offset` names). Such paths are never opened here;
 * the custom-ops detector judges them from the reference fact.
 */
export function escapesModelDirectory(location: string): boolean {
  if (location === "" || location.includes("\0")) return true;
  // onnxruntime's tag for initializers already in its memory: no file, `offset` is an address.
  if (location === ORT_MEMORY_ADDRESS_TAG) return true;
  if (location.startsWith("/") || location.startsWith("\\") || /^[a-zA-Z]:/.test(location)) return true;
  return location.split(/[\\/]+/).some((segment) => segment === "..");
}

/** Where each location beside a model on disk leads (links followed, nothing read), by location. */
export type ResolvedLocations = ReadonlyMap<string, ResolvedBesideModel>;

/**
 * For a model read from disk (not from inside an archive): looks up every location that stays in
 * the model's directory by name, links followed with realpath. Nothing is opened.
 */
export async function resolveLocations(
  context: Pick<ParseContext, "file" | "memberChain">,
  locations: Iterable<string>,
): Promise<ResolvedLocations> {
  const resolved = new Map<string, ResolvedBesideModel>();
  if (context.memberChain.length > 0) return resolved;
  const directory = path.dirname(path.resolve(context.file));
  for (const location of locations) {
    if (resolved.has(location) || escapesModelDirectory(location)) continue;
    resolved.set(location, await resolveBesideModel(directory, location));
  }
  return resolved;
}

/**
 * Emits the path references with the link each one goes through, if any: a link leading outside
 * the model's directory is judged by the detectors as a `../` location is.
 */
export function emitPathReferences(
  context: Pick<ParseContext, "emit">,
  references: readonly ReferenceFact[],
  resolved: ResolvedLocations,
): void {
  for (const reference of references) {
    const link = resolved.get(reference.target)?.link;
    context.emit(link ? { ...reference, link } : reference);
  }
}

/** True when a link beside the model takes the location outside its directory (the cache's blobs excepted). */
export function leavesThroughLink(resolved: ResolvedLocations, location: string): boolean {
  const link = resolved.get(location)?.link;
  return link?.outside === true && link.hfCacheBlob !== true;
}

/**
 * For a model read from disk (not from inside an archive): checks that each contained external
 * data file exists beside it and is long enough. Only stat and realpath; nothing is read. Returns
 * the files found, by reference. A location a link takes outside the model's directory is never
 * opened (the reference fact names the link); a Hugging Face cache blob of the same repository is
 * the cache's layout and is read.
 */
export async function checkExternalFiles(
  context: Pick<ParseContext, "file" | "memberChain">,
  references: readonly ExternalReference[],
  problems: ProblemList,
  resolvedLocations?: ResolvedLocations,
): Promise<Map<ExternalReference, ResolvedFile>> {
  const resolved = new Map<ExternalReference, ResolvedFile>();
  if (context.memberChain.length > 0 || references.length === 0) return resolved;
  const locations =
    resolvedLocations ??
    (await resolveLocations(
      context,
      references.map((reference) => reference.location),
    ));
  const checked = new Map<string, ResolvedFile | null>();
  for (const reference of references) {
    if (escapesModelDirectory(reference.location) || leavesThroughLink(locations, reference.location)) continue;
    const where = { path: reference.path };
    let file = checked.get(reference.location);
    if (file === undefined) {
      file = locations.get(reference.location)?.file ?? null;
      checked.set(reference.location, file);
    }
    if (file === null) {
      problems.add(
        "unusual-structure",
        `external data file ${reference.location} for tensor ${reference.tensor} is missing beside the model`,
        where,
        false,
      );
      continue;
    }
    const end = (reference.offset ?? 0) + (reference.length ?? 0);
    if (end > file.size) {
      problems.add(
        "truncated",
        `external data for tensor ${reference.tensor} needs bytes up to ${end} of ${reference.location}, which has ${file.size}`,
        where,
        false,
      );
    }
    resolved.set(reference, file);
  }
  return resolved;
}

/**
 * Declares each external tensor with its bytes: a window of the data file beside a model on disk,
 * or a range of the sibling member of a model inside an archive. A location that leaves the model's
 * directory, by name or through a link, is never opened (the reference fact carries it to the
 * detectors); any other tensor whose bytes cannot be found or do not fit its dims is returned as unread.
 */
export function emitExternalTensors(
  context: Pick<ParseContext, "memberChain" | "emit" | "emitTensor" | "readsDataFile">,
  tensors: readonly ExternalTensor[],
  files: ReadonlyMap<ExternalReference, ResolvedFile>,
  locations: ResolvedLocations,
  problems: ProblemList,
): string[] {
  const unread: string[] = [];
  const read = new Set<string>();
  for (const { fact, reference, expected } of tensors) {
    const where = { path: reference.path };
    if (escapesModelDirectory(reference.location) || leavesThroughLink(locations, reference.location)) {
      context.emit(fact);
      continue;
    }
    const offset = reference.offset ?? 0;
    const file = files.get(reference);
    const length = reference.length ?? (file ? file.size - offset : expected);
    if (length === null || length < 0) {
      context.emit(fact);
      unread.push(reference.tensor);
      continue;
    }
    if (expected !== null && length !== expected) {
      problems.add(
        "malformed",
        `external data for tensor ${reference.tensor} is ${length} bytes; its dims need ${expected}`,
        where,
      );
      context.emit(fact);
      continue;
    }
    const member = context.memberChain.at(-1);
    if (member !== undefined) {
      // Inside an archive the data file is a sibling member, named relative to the model's folder.
      const sibling = path.posix.join(
        path.posix.dirname(member.replaceAll("\\", "/")),
        reference.location.replaceAll("\\", "/"),
      );
      context.emit({ ...fact, data: { offset, length, member: sibling } });
      continue;
    }
    if (!file || offset + length > file.size) {
      context.emit(fact);
      unread.push(reference.tensor);
      continue;
    }
    // One file handle per tensor, opened when the engine reads it and closed after (closing the
    // slice closes its own file source).
    const source = new FileSource(file.path, file.size);
    context.emitTensor(fact, new SliceSource(`${reference.location}@${offset}`, source, offset, length, true));
    read.add(file.path);
  }
  // The data files whose bytes went out as tensors: a folder scan that walks one too knows it is this model's data.
  for (const file of read) context.readsDataFile?.(file);
  return unread;
}
