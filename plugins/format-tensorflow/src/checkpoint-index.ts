import path from "node:path";
import {
  dataByteLength,
  FileSource,
  type ParseContext,
  SliceSource,
  type Source,
  type TensorFact,
} from "@modelaudit/core";
import { ProblemList, readWhole, reportProblems, resolveBesideModel, StopParsing } from "@modelaudit/core/format";
import { type BundleEntry, type BundleHeader, bundleDType, decodeEntry, decodeHeader } from "./bundle-entries.js";
import { dataTypeName } from "./data-types.js";
import { CHECKPOINT_LIMITS } from "./limits.js";
import { TableProblem, tableEntries } from "./sstable.js";
import { ProtoProblem } from "./wire-reader.js";

/**
 * A TensorFlow checkpoint's index (`variables/variables.index` of a SavedModel, `model.ckpt.index`):
 * a table of checkpoint key → BundleEntryProto saying where each variable's bytes lie in the data
 * shards `<prefix>.data-NNNNN-of-MMMMM` beside it (tensorflow/core/util/tensor_bundle). Each
 * variable becomes a tensor fact whose bytes are a window of its shard: a file beside the index on
 * disk, a sibling member inside an archive.
 */

const WHAT = "TensorFlow checkpoint index";

/** `<prefix>.data-00000-of-00001`, as tensor_bundle.cc's DataFilename names shards. */
function shardName(prefix: string, shard: number, count: number): string {
  const pad = (value: number) => String(value).padStart(5, "0");
  return `${prefix}.data-${pad(shard)}-of-${pad(count)}`;
}

/** The index's own name, as the file or innermost member names it. */
function indexPath(context: ParseContext): { name: string; directory: string; inArchive: boolean } {
  const member = context.memberChain.at(-1);
  if (member !== undefined) {
    const normalized = member.replaceAll("\\", "/");
    return { name: path.posix.basename(normalized), directory: path.posix.dirname(normalized), inArchive: true };
  }
  return { name: path.basename(context.file), directory: path.dirname(path.resolve(context.file)), inArchive: false };
}

interface Variable {
  key: string;
  entry: BundleEntry;
  fact: TensorFact;
}

/** A shard on disk, or why it cannot be read. */
type Shard = { path: string; size: number } | { missing: string };

/**
 * The shard TensorFlow opens beside the index: links followed as its open follows them (nothing read
 * to find out). A link out of the folder is emitted as a path reference carrying the link, for the
 * detectors to judge as they judge a `../` name, and never opened.
 */
async function findShard(context: ParseContext, directory: string, name: string): Promise<Shard> {
  const { real, file, link } = await resolveBesideModel(directory, name);
  if (link?.outside && link.hfCacheBlob !== true) {
    context.emit({
      kind: "reference",
      target: name,
      referenceKind: "path",
      key: "TensorFlow checkpoint data shard",
      link,
    });
    return { missing: `data shard ${name} is a link to ${link.target}, outside the checkpoint's folder; not followed` };
  }
  if (file !== undefined) return file;
  return {
    missing: real === undefined ? `data shard ${name} is missing beside the index` : `data shard ${name} is not a file`,
  };
}

/**
 * A shard on disk, opened for each read and closed after it: the engine reads the windows after the
 * parse returns and nothing tells the handler when it is done, so no handle is left open.
 */
class ShardSource implements Source {
  constructor(
    readonly name: string,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const file = new FileSource(this.name, this.size);
    try {
      return await file.read(offset, length);
    } finally {
      await file.close();
    }
  }
}

function quote(name: string): string {
  return JSON.stringify(name);
}

export async function parseCheckpointIndex(context: ParseContext): Promise<void> {
  const bytes = await readWhole(context, WHAT, CHECKPOINT_LIMITS.maxIndexBytes);
  if (!bytes) return;
  const problems = new ProblemList();
  const variables: Variable[] = [];
  let header: BundleHeader | null = null;
  const decoder = new TextDecoder("utf-8");
  try {
    for (const row of tableEntries(bytes, CHECKPOINT_LIMITS, () => context.checkDeadline())) {
      const where = { offset: row.offset };
      if (header === null) {
        // The header sorts first: its key is empty.
        if (row.key.length !== 0) problems.stop("malformed", "the first entry is not the bundle header", where);
        header = decodeHeader(row.value);
        if (header.numShards < 1 || header.numShards > CHECKPOINT_LIMITS.maxShards) {
          problems.stop("malformed", `the header declares ${header.numShards} data shards`, where);
        }
        continue;
      }
      const key = decoder.decode(row.key);
      // A variable's name is free text the index carries (the bundle header's key is empty).
      if (key !== "") {
        context.emit({
          kind: "text",
          text: key,
          key: "tensor.name",
          role: "name",
          location: { path: key, offset: row.offset },
        });
      }
      let entry: BundleEntry;
      try {
        entry = decodeEntry(row.value);
      } catch (error) {
        if (!(error instanceof ProtoProblem)) throw error;
        problems.add(error.code, `entry ${quote(key)}: ${error.message}`, { ...where, path: key });
        continue;
      }
      // A partitioned variable's full entry: its slices are entries of their own.
      if (entry.sliced) continue;
      const dtype = bundleDType(entry.dtype);
      if (dtype === undefined) {
        problems.add("malformed", `entry ${quote(key)} has unknown dtype ${entry.dtype}`, { ...where, path: key });
        continue;
      }
      const fact: TensorFact = {
        kind: "tensor",
        name: key,
        dtype: dtype ?? "opaque",
        formatDtype: dataTypeName(entry.dtype),
        shape: entry.shape,
        byteOrder: header.byteOrder,
        location: { path: key, offset: row.offset },
      };
      // Strings, variants and resources are serialized objects, not numbers: declared without bytes.
      if (dtype === null) {
        context.emit(fact);
        continue;
      }
      const expected = dataByteLength(dtype, entry.shape);
      if (dtype !== "opaque" && expected !== entry.size) {
        problems.add(
          "malformed",
          `entry ${quote(key)} (${fact.formatDtype} ${JSON.stringify(entry.shape)}) needs ${expected ?? "an impossible number of"} bytes but declares ${entry.size}`,
          { ...where, path: key },
        );
        context.emit(fact);
        continue;
      }
      if (entry.shardId >= header.numShards) {
        problems.add("malformed", `entry ${quote(key)} is in shard ${entry.shardId} of ${header.numShards}`, {
          ...where,
          path: key,
        });
        context.emit(fact);
        continue;
      }
      variables.push({ key, entry, fact });
    }
    if (header === null) problems.stop("malformed", "the table holds no bundle header");
  } catch (error) {
    if (error instanceof TableProblem) problems.add(error.code, error.message);
    else if (error instanceof ProtoProblem) problems.add(error.code, `the bundle header: ${error.message}`);
    else if (error instanceof StopParsing) problems.items.push(error.problem);
    else throw error;
  }
  if (header) await emitVariables(context, header, variables, problems);
  reportProblems(context, problems.items, WHAT);
}

/** Each variable with its bytes: a window of its shard on disk, or a range of the sibling member. */
async function emitVariables(
  context: ParseContext,
  header: BundleHeader,
  variables: readonly Variable[],
  problems: ProblemList,
): Promise<void> {
  if (variables.length === 0) return;
  const index = indexPath(context);
  if (!index.name.endsWith(".index")) {
    for (const { fact } of variables) context.emit(fact);
    problems.add("unusual-structure", `the index is not named <prefix>.index, so its data shards cannot be found`);
    return;
  }
  const prefix = index.name.slice(0, -".index".length);
  const shards = new Map<number, Shard>();
  const sources = new Map<number, ShardSource>();
  const unread = new Map<string, string[]>();
  for (const { key, entry, fact } of variables) {
    const name = shardName(prefix, entry.shardId, header.numShards);
    const range = { offset: entry.offset, length: entry.size };
    if (index.inArchive) {
      // The engine finds the sibling member and checks the range against it.
      context.emit({ ...fact, data: { ...range, member: path.posix.join(index.directory, name) } });
      continue;
    }
    let shard = shards.get(entry.shardId);
    if (!shard) {
      shard = await findShard(context, index.directory, name);
      shards.set(entry.shardId, shard);
    }
    if ("missing" in shard) {
      context.emit(fact);
      unread.set(shard.missing, [...(unread.get(shard.missing) ?? []), key]);
      continue;
    }
    if (entry.offset + entry.size > shard.size) {
      problems.add(
        "truncated",
        `entry ${quote(key)} needs bytes up to ${entry.offset + entry.size} of ${name}, which has ${shard.size}`,
        { path: key },
      );
      context.emit(fact);
      continue;
    }
    let source = sources.get(entry.shardId);
    if (!source) {
      source = new ShardSource(shard.path, shard.size);
      sources.set(entry.shardId, source);
    }
    context.emitTensor(fact, new SliceSource(`${name}@${entry.offset}`, source, entry.offset, entry.size));
  }
  for (const [reason, keys] of unread) {
    const more = keys.length > 1 ? ` and ${keys.length - 1} more` : "";
    problems.add("unusual-structure", `${reason}: tensor ${quote(keys[0] as string)}${more} not read`);
  }
}
