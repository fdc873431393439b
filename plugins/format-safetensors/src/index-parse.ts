import path from "node:path";
import { FileSource, type ParseContext, type ReferenceLink } from "@modelaudit/core";
import { readAll, resolveBesideModel } from "@modelaudit/core/format";
import { type HeaderProblem, MAX_HEADER_BYTES, readHeader, reportDuplicateKeys } from "./header.js";
import { type JsonObject, JsonSyntaxError, type JsonValue, scanJson } from "./json-scan.js";
import { report } from "./safetensors-parse.js";

/** Index files of the largest public models are a few MB; anything far larger is not an index. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
const MAX_SHARDS = 10_000;

/**
 * The parse of {@link safetensorsIndexHandler} and {@link weightsIndexHandler}, imported on the first
 * index; `label` starts the inconclusive reason.
 */
export async function parseSafetensorsIndex(context: ParseContext, label?: string): Promise<void> {
  const problems: HeaderProblem[] = [];
  const problem = (code: HeaderProblem["code"], message: string, where?: string, rejects = true) => {
    const entry: HeaderProblem = { code, message, rejects };
    if (where !== undefined) entry.path = where;
    problems.push(entry);
  };
  try {
    const weightMap = await readIndex(context, problem);
    if (weightMap) await checkShards(context, weightMap, problem);
  } finally {
    // The safetensors index keeps the label it always had; the other indexes name themselves.
    report(context, problems, label);
  }
}

type Problem = (code: HeaderProblem["code"], message: string, where?: string, rejects?: boolean) => void;

/** Parses the index, emits its metadata strings, and returns shard → tensor names. */
async function readIndex(context: ParseContext, problem: Problem): Promise<Map<string, string[]> | null> {
  const bytes = await readAll(context.source, Math.min(MAX_INDEX_BYTES, context.limits.maxInMemoryBytes));
  let root: JsonValue;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    const scanned = scanJson(text);
    root = scanned.value;
    reportDuplicateKeys(scanned.duplicates, problem);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : "invalid UTF-8";
    problem("malformed", `the index is not valid JSON: ${reason}`);
    return null;
  }
  if (root.type !== "object") {
    problem("malformed", "the index is not a JSON object");
    return null;
  }
  const metadata = field(root, "metadata");
  if (metadata?.type === "object") {
    for (const entry of metadata.entries) {
      if (entry.value.type !== "string") continue;
      context.emit({
        kind: "text",
        text: entry.value.value,
        key: `metadata.${entry.key}`,
        role: "metadata",
        location: { path: `metadata.${entry.key}` },
      });
    }
  }
  const weightMap = field(root, "weight_map");
  if (weightMap?.type !== "object") {
    problem("malformed", "the index has no weight_map object");
    return null;
  }
  const shards = new Map<string, string[]>();
  for (const entry of weightMap.entries) {
    if (entry.value.type !== "string") {
      problem("malformed", `weight_map.${entry.key} is not a file name`, `weight_map.${entry.key}`);
      continue;
    }
    const shard = entry.value.value;
    // Tensor names are free text the index carries whether or not the shard is there.
    context.emit({
      kind: "text",
      text: entry.key,
      key: "weight_map",
      role: "name",
      location: { path: `weight_map.${entry.key}` },
    });
    const tensors = shards.get(shard);
    if (tensors) tensors.push(entry.key);
    else shards.set(shard, [entry.key]);
  }
  return shards;
}

function field(object: JsonObject, key: string): JsonValue | undefined {
  // The last copy, as JSON.parse and Python's json would read it; duplicates are reported separately.
  let found: JsonValue | undefined;
  for (const entry of object.entries) if (entry.key === key) found = entry.value;
  return found;
}

function emitReference(context: ParseContext, shard: string, link?: ReferenceLink): void {
  context.emit({ kind: "reference", target: shard, referenceKind: "path", key: "weight_map", ...(link && { link }) });
}

/**
 * Emits one reference per shard, with the link it goes through beside the index, and checks the
 * shards on disk: each must exist; a safetensors shard's header must hold what the map says. Other
 * shards (pickles, HDF5, msgpack) are not opened here: the walk scans them as files of their own.
 */
async function checkShards(context: ParseContext, shards: Map<string, string[]>, problem: Problem): Promise<void> {
  if (context.memberChain.length > 0 || shards.size > MAX_SHARDS) {
    for (const shard of shards.keys()) emitReference(context, shard);
  }
  if (context.memberChain.length > 0) {
    problem(
      "unusual-structure",
      `the index sits inside ${context.memberChain.join(" > ")}: its ${shards.size} shards could not be checked against it`,
      undefined,
      false,
    );
    return;
  }
  if (shards.size > MAX_SHARDS) {
    problem("limit-exceeded", `the index names ${shards.size} shards, more than the ${MAX_SHARDS} checked`);
    return;
  }
  const folder = path.dirname(path.resolve(context.file));
  for (const [shard, expected] of shards) {
    context.checkDeadline();
    if (!isPlainRelativePath(shard)) {
      emitReference(context, shard);
      problem("malformed", `shard name ${JSON.stringify(shard)} leaves the model folder; it was not opened`, shard);
      continue;
    }
    // Links followed as the loader follows them, nothing read: a link out of the folder is judged
    // by the detectors from the reference, as a `../` name is, and never opened.
    const { file, link } = await resolveBesideModel(folder, shard);
    emitReference(context, shard, link);
    if (link?.outside && link.hfCacheBlob !== true) {
      problem(
        "unusual-structure",
        `shard ${shard} is a link to ${link.target}, outside the model folder; it was not opened`,
        shard,
        false,
      );
      continue;
    }
    if (file === undefined) {
      problem("malformed", `shard ${shard} named by the index (${expected.length} tensors) is missing`, shard);
      continue;
    }
    if (!shard.toLowerCase().endsWith(".safetensors")) continue;
    const source = new FileSource(file.path, file.size);
    try {
      const result = await readHeader(source, Math.min(context.limits.maxInMemoryBytes, MAX_HEADER_BYTES));
      if (!result.ok) {
        problem("malformed", `shard ${shard}: header unreadable (${result.problem.message})`, shard);
        continue;
      }
      const present = new Set(result.header.tensorNames);
      const missing = expected.filter((name) => !present.has(name));
      for (const name of missing.slice(0, 20)) {
        problem(
          "header-mismatch",
          `tensor ${JSON.stringify(name)} is mapped to ${shard} but that shard lacks it`,
          name,
        );
      }
      if (missing.length > 20)
        problem("header-mismatch", `${missing.length - 20} more mapped tensors missing from ${shard}`, shard);
      const mapped = new Set(expected);
      const unmapped = result.header.tensorNames.filter((name) => !mapped.has(name));
      // Loaders that follow the index never load these; a loader reading the shard directly does.
      for (const name of unmapped.slice(0, 20)) {
        problem(
          "header-mismatch",
          `shard ${shard} holds tensor ${JSON.stringify(name)} that the index does not map there`,
          name,
          false,
        );
      }
      if (unmapped.length > 20) {
        problem("header-mismatch", `${unmapped.length - 20} more unmapped tensors in ${shard}`, shard, false);
      }
    } finally {
      await source.close();
    }
  }
}

/** A relative path that stays inside the folder: no absolute path, drive letter, backslash or `..`. */
function isPlainRelativePath(name: string): boolean {
  if (name.length === 0 || name.includes("\0") || name.includes("\\")) return false;
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return false;
  return name.split("/").every((segment) => segment !== ".." && segment !== "." && segment !== "");
}
