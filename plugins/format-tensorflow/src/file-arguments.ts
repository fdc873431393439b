import type { NodeDefMessage } from "./messages.js";
import { bytesToText, TENSORFLOW_LIMITS, type TensorflowParse, truncate } from "./parse-session.js";

type FileInput = { input: number; kind: "path" | "url" };

/**
 * Which inputs of a TensorFlow op name a file, a directory, a checkpoint prefix, a file pattern or a
 * network address (positions from the op registry's input lists, tensorflow/core/ops/*.cc). When
 * such an input is a string constant of the same graph or function, its values are what the op opens.
 * The checkpoint ops (Save*, Restore*, MergeV2Checkpoints) and the vocabulary table initialisers are
 * in every SavedModel, but there their names are fed at run time (the saver's filename placeholder) or
 * are the model's own assets (fed by the loader from asset_file_def): only literal names are reported.
 * Input pipelines (tf.data sources, the tf.data service, queue readers) and warm-start readers other
 * than RestoreV2 are left out: graphs saved from training name their training data and earlier
 * checkpoints there, no reference of the model's own.
 */
const FILE_INPUTS: ReadonlyMap<string, readonly FileInput[]> = new Map([
  ["ReadFile", [{ input: 0, kind: "path" }]],
  ["WriteFile", [{ input: 0, kind: "path" }]],
  ["MatchingFiles", [{ input: 0, kind: "path" }]],
  // io_ops.cc: the file (V1) or prefix (V2) a checkpoint is written to or read from.
  ["Save", [{ input: 0, kind: "path" }]],
  ["SaveSlices", [{ input: 0, kind: "path" }]],
  ["SaveV2", [{ input: 0, kind: "path" }]],
  ["Restore", [{ input: 0, kind: "path" }]],
  ["RestoreSlice", [{ input: 0, kind: "path" }]],
  ["RestoreV2", [{ input: 0, kind: "path" }]],
  // checkpoint_prefixes (deleted once merged, with delete_old_dirs their directories too), destination_prefix.
  [
    "MergeV2Checkpoints",
    [
      { input: 0, kind: "path" },
      { input: 1, kind: "path" },
    ],
  ],
  // lookup_ops.cc: (table_handle, filename).
  ["InitializeTableFromTextFile", [{ input: 1, kind: "path" }]],
  ["InitializeTableFromTextFileV2", [{ input: 1, kind: "path" }]],
  ["SaveDataset", [{ input: 1, kind: "path" }]],
  ["SaveDatasetV2", [{ input: 1, kind: "path" }]],
  ["SnapshotDataset", [{ input: 1, kind: "path" }]],
  ["SnapshotDatasetV2", [{ input: 1, kind: "path" }]],
  ["DatasetToTFRecord", [{ input: 1, kind: "path" }]],
  ["RpcServer", [{ input: 0, kind: "url" }]],
  ["RpcClient", [{ input: 0, kind: "url" }]],
]);

/** Ops whose output is their first input (a name passes through them unchanged). */
const PASS_THROUGH = new Set(["Identity", "Snapshot", "StopGradient", "PlaceholderWithDefault", "EnsureShape"]);

/** How many producers a file name is followed through, and how many names one input may stand for. */
const MAX_RESOLVE_DEPTH = 16;
const MAX_NAMES = 64;

/**
 * String (or string list) attributes that name a file or URL: ImmutableConst maps it, PrintV2 writes
 * to `file://` streams, tfdbg ops send tensors to `file://` and `grpc://` debug URLs, DecodeProto and
 * EncodeProto read a descriptor file unless the source is the built-in pool or inline bytes.
 */
const FILE_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ["ImmutableConst", "memory_region_name"],
  ["PrintV2", "output_stream"],
  ["DebugIdentity", "debug_urls"],
  ["DebugIdentityV2", "debug_urls"],
  ["DebugNanCount", "debug_urls"],
  ["DebugNumericSummary", "debug_urls"],
  ["DecodeProto", "descriptor_source"],
  ["DecodeProtoV2", "descriptor_source"],
  ["EncodeProto", "descriptor_source"],
]);

/** Attribute values that name nothing outside the process. */
function namesAFile(op: string, value: string): boolean {
  if (op === "PrintV2") return value.startsWith("file://"); // otherwise stderr, stdout or log(...)
  if (op.endsWith("Proto")) return value !== "local://" && !value.startsWith("bytes://");
  // A memmapped graph's regions live in the model's own package.
  if (op === "ImmutableConst") return value !== "" && !value.startsWith("memmapped_package://");
  return value !== "";
}

/** One node of a graph or function body, as far as file arguments need it. */
export interface NodeSummary {
  name: string;
  op: string;
  path: string;
  inputs: readonly string[];
  /** String values of a `Const` of dtype string. */
  strings?: readonly string[];
  /** A `StringJoin`'s separator. */
  separator?: string;
}

export function summarize(node: NodeDefMessage, path: string): NodeSummary {
  const summary: NodeSummary = { name: node.name ?? "", op: node.op ?? "", path, inputs: node.input ?? [] };
  const tensor = node.attr?.value?.tensor;
  if (summary.op === "Const" && tensor?.string_val) {
    summary.strings = tensor.string_val.slice(0, 64).map((item) => bytesToText(item, TENSORFLOW_LIMITS.maxText));
  }
  if (summary.op === "StringJoin") {
    const separator = node.attr?.separator;
    summary.separator = separator?.value === "s" ? bytesToText(separator.s, TENSORFLOW_LIMITS.maxText) : "";
  }
  const attribute = FILE_ATTRIBUTES.get(summary.op);
  const value = attribute ? node.attr?.[attribute] : undefined;
  if (value) {
    // `value` names the member of the oneof that is set (protobufjs gives unset members defaults).
    const items =
      value.value === "s" && value.s ? [value.s] : value.value === "list" ? (value.list?.s ?? []).slice(0, 64) : [];
    const texts = items.map((item) => bytesToText(item, TENSORFLOW_LIMITS.maxText));
    summary.strings = texts.filter((text) => namesAFile(summary.op, text));
  }
  return summary;
}

/**
 * After a graph or function body is read: a reference fact for every literal file name, directory,
 * checkpoint prefix or address a file, checkpoint, table or network op is given, or its own file
 * attribute. A name is literal when its input is a string Const of the same scope, reached through
 * ops that pass it on (Identity, PlaceholderWithDefault, ShardedFilename's basename, a StringJoin or
 * Pack of literals). `fed` names the nodes the loader feeds (the asset tensors of asset_file_def):
 * their constants are not what the op opens.
 */
export function emitFileArguments(
  parse: TensorflowParse,
  nodes: readonly NodeSummary[],
  fed: ReadonlySet<string> = new Set(),
): void {
  const byName = new Map<string, NodeSummary>();
  for (const node of nodes) if (!byName.has(node.name)) byName.set(node.name, node);
  const resolver = new NameResolver(byName, fed);
  for (const node of nodes) {
    const attribute = FILE_ATTRIBUTES.get(node.op);
    if (attribute && node.strings) {
      for (const target of node.strings)
        emit(parse, node, target, /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? "url" : "path");
      continue;
    }
    for (const file of FILE_INPUTS.get(node.op) ?? []) {
      const input = node.inputs[file.input];
      // Control inputs (`^name`) come after the data inputs and carry no value.
      if (input === undefined || input.startsWith("^")) continue;
      for (const target of new Set(resolver.resolve(input, 0) ?? [])) emit(parse, node, target, file.kind);
    }
  }
}

/** The literal strings a tensor of a graph or function body holds, when it is built from constants only. */
class NameResolver {
  private readonly memo = new Map<string, readonly string[] | undefined>();

  constructor(
    private readonly byName: ReadonlyMap<string, NodeSummary>,
    private readonly fed: ReadonlySet<string>,
  ) {}

  /** `name`, `name:0` (GraphDef) or `name:output:0` (function bodies); undefined when not constant. */
  resolve(input: string, depth: number): readonly string[] | undefined {
    if (depth > MAX_RESOLVE_DEPTH || input.startsWith("^")) return undefined;
    const producer = input.split(":")[0] ?? "";
    if (this.memo.has(producer)) return this.memo.get(producer);
    this.memo.set(producer, undefined); // a cycle resolves to nothing
    const values = this.producerValues(producer, depth);
    this.memo.set(producer, values?.slice(0, MAX_NAMES));
    return this.memo.get(producer);
  }

  private producerValues(producer: string, depth: number): readonly string[] | undefined {
    if (this.fed.has(producer)) return undefined;
    const node = this.byName.get(producer);
    if (!node) return undefined; // a function argument, a placeholder fed at run time, or absent
    const data = node.inputs.filter((input) => !input.startsWith("^"));
    if (node.op === "Const") return node.strings;
    if (PASS_THROUGH.has(node.op) || node.op === "ShardedFilename" || node.op === "ShardedFilespec") {
      // ShardedFilename(basename, shard, num_shards) is `basename-00000-of-00001`: it starts where basename does.
      return data[0] === undefined ? undefined : this.resolve(data[0], depth + 1);
    }
    if (node.op === "Pack") {
      const parts = data.map((input) => this.resolve(input, depth + 1) ?? []);
      const all = parts.flat();
      return all.length > 0 ? all : undefined;
    }
    if (node.op === "StringJoin") {
      let joined: string[] = [""];
      for (const [index, input] of data.entries()) {
        const part = this.resolve(input, depth + 1);
        if (!part || part.length === 0) return undefined;
        const separator = index === 0 ? "" : (node.separator ?? "");
        // Scalars broadcast against a vector: element-wise when both are vectors of one length.
        if (joined.length === part.length && joined.length > 1) {
          joined = joined.map((left, at) => left + separator + part[at]);
        } else {
          joined = joined.flatMap((left) => part.map((right) => left + separator + right)).slice(0, MAX_NAMES);
        }
      }
      return joined;
    }
    return undefined;
  }
}

function emit(parse: TensorflowParse, node: NodeSummary, target: string, kind: "path" | "url"): void {
  if (target === "") return;
  parse.emit({
    kind: "reference",
    target: truncate(target, TENSORFLOW_LIMITS.maxText),
    referenceKind: kind,
    key: node.op,
    location: { path: node.path },
  });
}
