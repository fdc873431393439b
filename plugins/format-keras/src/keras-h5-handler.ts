import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FormatHandler, ParseContext } from "@modelaudit/core";
import { type Hdf5Contents, type Hdf5Result, readHdf5 } from "./hdf5-reader.js";
import { checkSuperblock, findSignature } from "./hdf5-signature.js";
import { blocked, emitKerasConfig } from "./keras-config.js";

/** Root attributes Keras writes as JSON documents; they are parsed rather than reported whole. */
const CONFIG_ATTRIBUTES: Record<string, boolean> = { model_config: true, training_config: false };
const MAX_TEXT = 64 * 1024;

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
 * .keras zip) is copied, bounded by the in-memory limit, to a private temporary directory (h5wasm's
 * Node build maps its file system onto the host's) and removed afterwards.
 */
async function withFilePath(context: ParseContext, use: (file: string) => Promise<Hdf5Result>): Promise<Hdf5Result> {
  if (isFileOnDisk(context)) return use(path.resolve(context.file));
  const { source } = context;
  if (source.size > context.limits.maxInMemoryBytes) {
    return {
      ok: false,
      reason: `nested HDF5 of ${source.size} bytes exceeds the ${context.limits.maxInMemoryBytes}-byte in-memory bound`,
    };
  }
  const bytes = await source.read(0, source.size);
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

function emitContents(context: ParseContext, contents: Hdf5Contents): void {
  for (const attribute of contents.attributes) {
    const where = `${attribute.objectPath}@${attribute.name}`;
    if (attribute.value === null) continue;
    if (attribute.objectPath === "/" && attribute.name in CONFIG_ATTRIBUTES) {
      emitKerasConfig(context, asText(attribute.value), attribute.name, CONFIG_ATTRIBUTES[attribute.name]!);
      continue;
    }
    const role = attribute.name === "layer_names" || attribute.name === "weight_names" ? "name" : "config";
    const values = Array.isArray(attribute.value) ? attribute.value : [attribute.value];
    for (const text of values) {
      context.emit({ kind: "text", text: text.slice(0, MAX_TEXT), key: where, role, location: { path: where } });
    }
  }
  for (const dataset of contents.datasets) {
    const name = dataset.path.replace(/^\//, "");
    context.emit({ kind: "tensor", name, dtype: dataset.dtype, shape: dataset.shape, location: { path: name } });
  }
  for (const link of contents.links) {
    if (link.kind === "external") {
      context.emit({
        kind: "reference",
        target: link.target,
        referenceKind: "path",
        key: link.path,
        location: { path: link.path },
      });
    } else {
      context.emit({
        kind: "anomaly",
        code: "unusual-structure",
        message: `broken soft link ${link.path} → ${link.target}`,
        location: { path: link.path },
      });
    }
  }
  for (const problem of contents.problems) blocked(context, problem.code, problem.message, problem.path);
}

/** Keras 2 `.h5`/`.hdf5` models and Keras 3 `model.weights.h5`: any HDF5 file, by its signature. */
export const kerasH5Handler: FormatHandler = {
  id: "keras-h5",
  description:
    "HDF5 files (Keras .h5/.hdf5 models and weights) read with h5wasm: configs, layers, weights, Lambda bytecode",
  sniff: (input) => findSignature(input.head) !== null,
  async parse(context) {
    const { source } = context;
    const head = await source.read(0, 64 * 1024);
    const base = findSignature(head);
    if (base === null) return;
    const superblock = checkSuperblock(await source.read(base, 128), base, source.size);
    if (!superblock.ok) {
      blocked(context, superblock.code ?? "malformed", `HDF5 file refused: ${superblock.reason}`);
      return;
    }
    const result = await withFilePath(context, (file) => readHdf5(file, () => context.checkDeadline()));
    if (!result.ok) {
      blocked(context, "malformed", `HDF5 file could not be read: ${result.reason}`);
      return;
    }
    const isKerasModel = result.contents.attributes.some(
      (attribute) =>
        attribute.objectPath === "/" && (attribute.name === "model_config" || attribute.name === "keras_version"),
    );
    if (isKerasModel) context.addFormat("keras");
    emitContents(context, result.contents);
  },
};
