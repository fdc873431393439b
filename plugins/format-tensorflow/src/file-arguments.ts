import type { NodeDefMessage } from "./messages.js";
import { bytesToText, TENSORFLOW_LIMITS, type TensorflowParse } from "./parse-session.js";

/**
 * Which input of a TensorFlow op names a file, a directory, a file pattern or a network address
 * (positions from the op registry's input lists, tensorflow/core/ops/*.cc). When that input is a
 * string `Const` of the same graph or function, its values are what the op opens. Input pipelines
 * (tf.data sources, the tf.data service, queue readers) and warm-start readers are left out: graphs
 * saved from training name their training data and earlier checkpoints there, no reference of the
 * model's own.
 */
const FILE_INPUTS: ReadonlyMap<string, { input: number; kind: "path" | "url" }> = new Map([
  ["ReadFile", { input: 0, kind: "path" }],
  ["WriteFile", { input: 0, kind: "path" }],
  ["SaveDataset", { input: 1, kind: "path" }],
  ["SaveDatasetV2", { input: 1, kind: "path" }],
  ["SnapshotDataset", { input: 1, kind: "path" }],
  ["SnapshotDatasetV2", { input: 1, kind: "path" }],
  ["DatasetToTFRecord", { input: 1, kind: "path" }],
  ["RpcServer", { input: 0, kind: "url" }],
  ["RpcClient", { input: 0, kind: "url" }],
]);

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
}

export function summarize(node: NodeDefMessage, path: string): NodeSummary {
  const summary: NodeSummary = { name: node.name ?? "", op: node.op ?? "", path, inputs: node.input ?? [] };
  const tensor = node.attr?.value?.tensor;
  if (summary.op === "Const" && tensor?.string_val) {
    summary.strings = tensor.string_val.slice(0, 64).map((item) => bytesToText(item, TENSORFLOW_LIMITS.maxText));
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
 * After a graph or function body is read: a reference fact for every literal file name, directory or
 * address a file or network op is given (the Const its input names, in the same scope), or its own
 * file attribute.
 */
export function emitFileArguments(parse: TensorflowParse, nodes: readonly NodeSummary[]): void {
  const constants = new Map<string, readonly string[]>();
  for (const node of nodes) if (node.op === "Const" && node.strings) constants.set(node.name, node.strings);
  for (const node of nodes) {
    const attribute = FILE_ATTRIBUTES.get(node.op);
    if (attribute && node.strings) {
      for (const target of node.strings)
        emit(parse, node, target, /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? "url" : "path");
      continue;
    }
    const file = FILE_INPUTS.get(node.op);
    const input = file && node.inputs[file.input];
    if (!file || input === undefined) continue;
    // `name`, `name:0` (GraphDef) or `name:output:0` (function bodies); `^name` is a control input.
    const producer = input.replace(/^\^/, "").split(":")[0] ?? "";
    for (const target of constants.get(producer) ?? []) emit(parse, node, target, file.kind);
  }
}

function emit(parse: TensorflowParse, node: NodeSummary, target: string, kind: "path" | "url"): void {
  if (target === "") return;
  parse.emit({ kind: "reference", target, referenceKind: kind, key: node.op, location: { path: node.path } });
}
