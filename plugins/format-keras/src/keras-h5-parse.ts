import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FORMATS, type ParseContext } from "@modelaudit/core";
import { type Hdf5Contents, type Hdf5Result, readHdf5 } from "./hdf5-reader.js";
import { checkSuperblock, locateSignatures } from "./hdf5-signature.js";
import { declareTensors } from "./hdf5-tensors.js";
import { blocked, emitKerasConfig } from "./keras-config.js";
import { HDF5_EXTENSIONS } from "./keras-h5-handler.js";

/** Root attributes Keras writes as JSON documents; they are parsed rather than reported whole. */
const CONFIG_ATTRIBUTES: Record<string, boolean> = { model_config: true, training_config: false };
const MAX_TEXT = 64 * 1024;
/** Superblocks read per file: the loader's (the first) and a few more that other readers could take. */
const MAX_READINGS = 4;

/** True when `context.file` is the very file the source reads (a top-level file on disk). */
function isFileOnDisk(context: ParseContext): boolean {
  if (context.memberChain.length > 0) return false;
  try {
    const stats = statSync(context.file);
    return stats.isFile() && stats.size === context.source.size;
  } catch {
    return false;
  }
}

/**
 * h5wasm opens files by path. A top-level file is opened where it is; a nested one (an .h5 inside a
 * .keras zip), or the bytes from a later superblock on (read as their own file, where libhdf5 finds
 * that superblock first), is copied, bounded by the in-memory limit, to a private temporary
 * directory (h5wasm's Node build maps its file system onto the host's) and removed afterwards.
 */
async function withFilePath(
  context: ParseContext,
  start: number,
  use: (file: string) => Promise<Hdf5Result>,
): Promise<Hdf5Result> {
  if (start === 0 && isFileOnDisk(context)) return use(path.resolve(context.file));
  const { source } = context;
  const size = source.size - start;
  if (size > context.limits.maxInMemoryBytes) {
    return {
      ok: false,
      reason: `HDF5 ${start === 0 ? "member" : `reading from byte ${start}`} of ${size} bytes exceeds the ${context.limits.maxInMemoryBytes}-byte in-memory bound`,
    };
  }
  const bytes = await source.read(start, size);
  const directory = mkdtempSync(path.join(tmpdir(), "modelaudit-keras-"));
  try {
    const file = path.join(directory, "member.h5");
    writeFileSync(file, bytes, { mode: 0o600 });
    return await use(file);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function asText(value: string | string[]): string {
  return Array.isArray(value) ? value.join("\n") : value;
}

/**
 * `prefix` names the reading ("" for the one libhdf5 makes) in every location; `base` is where its
 * superblock sits in the source (HDF5 addresses count from there).
 */
async function emitContents(
  context: ParseContext,
  contents: Hdf5Contents,
  prefix: string,
  base: number,
): Promise<void> {
  for (const attribute of contents.attributes) {
    const where = `${prefix}${attribute.objectPath}@${attribute.name}`;
    if (attribute.value === null) continue;
    if (attribute.objectPath === "/" && attribute.name in CONFIG_ATTRIBUTES) {
      await emitKerasConfig(
        context,
        asText(attribute.value),
        `${prefix}${attribute.name}`,
        CONFIG_ATTRIBUTES[attribute.name]!,
      );
      continue;
    }
    const role = attribute.name === "layer_names" || attribute.name === "weight_names" ? "name" : "config";
    const values = Array.isArray(attribute.value) ? attribute.value : [attribute.value];
    for (const text of values) {
      context.emit({ kind: "text", text: text.slice(0, MAX_TEXT), key: where, role, location: { path: where } });
    }
  }
  const superblock = checkSuperblock(await context.source.read(base, 128), base, context.source.size);
  await declareTensors(
    context,
    {
      source: context.source,
      base,
      offsetSize: superblock.offsetSize ?? 8,
      lengthSize: superblock.lengthSize ?? 8,
    },
    contents.datasets,
    prefix,
  );
  for (const link of contents.links) {
    if (link.kind === "external" || link.kind === "virtual-source") {
      context.emit({
        kind: "reference",
        target: link.target,
        referenceKind: "path",
        key: prefix + link.path,
        location: { path: prefix + link.path },
      });
    } else {
      context.emit({
        kind: "anomaly",
        code: "unusual-structure",
        message: `broken soft link ${link.path} → ${link.target}`,
        location: { path: prefix + link.path },
      });
    }
  }
  for (const problem of contents.problems) blocked(context, problem.code, problem.message, prefix + problem.path);
}

/** An HDF5 name: its user opens it with h5py or Keras, so a file with no superblock anywhere is inconclusive. */
function namedAsHdf5(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return HDF5_EXTENSIONS.has(dot > 0 ? name.slice(dot).toLowerCase() : "");
}

/** Reads the file as libhdf5 would from the superblock at `offset` and emits what it holds. */
async function readFrom(context: ParseContext, offset: number, first: boolean): Promise<void> {
  const prefix = first ? "" : `[HDF5 from byte ${offset}]`;
  const result = await withFilePath(context, first ? 0 : offset, (file) =>
    readHdf5(file, () => context.checkDeadline()),
  );
  if (!result.ok) {
    blocked(context, "malformed", `${prefix}HDF5 file could not be read: ${result.reason}`);
    return;
  }
  const isKerasModel = result.contents.attributes.some(
    (attribute) =>
      attribute.objectPath === "/" && (attribute.name === "model_config" || attribute.name === "keras_version"),
  );
  if (isKerasModel) context.addFormat(FORMATS.keras);
  await emitContents(context, result.contents, prefix, offset);
}

/** The parse of {@link kerasH5Handler}, imported on the first HDF5 file (h5wasm and the readers are large). */
export async function parseKerasH5(context: ParseContext): Promise<void> {
  const { source } = context;
  const offsets = await locateSignatures((offset, length) => source.read(offset, length), source.size);
  if (offsets.length === 0) {
    // libhdf5 cannot open it. Claimed by its name, what it is stays unknown (a file named like a
    // model that nothing reads is never clean); probed for its zero head or the metadata structures
    // in its tail, it is not HDF5 (h5py.is_hdf5 says no) but another format's file, judged by that format.
    const name = context.memberChain.at(-1) ?? context.file;
    if (namedAsHdf5(name.split("/").pop() ?? "")) {
      context.inconclusive("named like an HDF5 file, but no HDF5 superblock is at any offset libhdf5 probes");
    }
    return;
  }
  // libhdf5 takes the file by this signature (a probed file is labelled here, once it is found).
  context.addFormat(FORMATS.kerasH5);
  const [first, ...later] = offsets as [number, ...number[]];
  const superblock = checkSuperblock(await source.read(first, 128), first, source.size);
  if (!superblock.ok) {
    // libhdf5 stops at the first signature: this file does not open, whatever follows.
    blocked(context, superblock.code ?? "malformed", `HDF5 file refused: ${superblock.reason}`);
  } else {
    if (superblock.storedBase !== undefined) {
      context.emit({
        kind: "anomaly",
        code: "unusual-structure",
        message: `the HDF5 superblock at byte ${first} stores base address ${superblock.storedBase ?? "undefined"}; libhdf5 uses ${first}, a reader that trusts the field reads other bytes`,
        location: { offset: first },
      });
    }
    await readFrom(context, first, true);
  }
  const alternatives: number[] = [];
  for (const offset of later.slice(0, MAX_READINGS - 1)) {
    const check = checkSuperblock(await source.read(offset, 128), offset, source.size);
    if (check.ok) alternatives.push(offset);
    // A well-formed superblock that claims more bytes than exist is a second file cut short: a
    // reader taking it fails, and what it held is unknown. Anything else is stray signature bytes.
    else if (check.code === "truncated") context.inconclusive(`HDF5 superblock at byte ${offset}: ${check.reason}`);
  }
  if (later.length > MAX_READINGS - 1) {
    context.inconclusive(`${offsets.length} HDF5 signatures; only the first ${MAX_READINGS} were read`);
  }
  if (alternatives.length === 0) return;
  context.emit({
    kind: "anomaly",
    code: "parser-differential",
    message: `HDF5 superblocks at bytes ${[first, ...alternatives].join(", ")}: libhdf5 reads the one at ${first}, a reader or tool that takes another reads a different file`,
    location: { offset: alternatives[0]! },
  });
  for (const offset of alternatives) await readFrom(context, offset, false);
}
