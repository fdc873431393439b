import { emitFileArguments, type NodeSummary } from "./file-arguments.js";
import type { AssetFileDefMessage, MetaInfoDefMessage, OpDefMessage, SignatureDefEntryMessage } from "./messages.js";
import { emitNode } from "./node-facts.js";
import { bytesToText, TENSORFLOW_LIMITS, type TensorflowParse, truncate } from "./parse-session.js";
import { FIELD, types } from "./schema.js";
import { descend, fields, ProtoProblem, WIRE_LENGTH_DELIMITED, WIRE_VARINT, type WireField } from "./wire-reader.js";

/**
 * Walks the container messages on the wire and decodes the leaves one at a time, so every node of
 * every graph and function is visited with bounded memory. `prefix` locates the graph inside the
 * file (`meta_graph[0]/` in a SavedModel, empty for a bare GraphDef or MetaGraphDef).
 */

function isMessage(field: WireField): boolean {
  return field.wireType === WIRE_LENGTH_DELIMITED;
}

/** GraphDef: nodes, then the function library. */
export function walkGraphDef(
  parse: TensorflowParse,
  start: number,
  end: number,
  prefix: string,
  fed: ReadonlySet<string> = new Set(),
): void {
  let index = 0;
  const summaries: NodeSummary[] = [];
  try {
    for (const field of fields(parse.bytes, start, end)) {
      if (!isMessage(field)) continue;
      if (field.number === FIELD.graphNode) {
        const path = `${prefix}graph/node[${index++}]`;
        descend(field, () => {
          summaries.push(emitNode(parse, field.start, field.end, path));
        });
      } else if (field.number === FIELD.graphLibrary) {
        descend(field, () => walkLibrary(parse, field.start, field.end, prefix));
      }
    }
  } finally {
    // A cut graph still names the files its complete nodes open.
    emitFileArguments(parse, summaries, fed);
  }
}

function walkLibrary(parse: TensorflowParse, start: number, end: number, prefix: string): void {
  let index = 0;
  for (const field of fields(parse.bytes, start, end)) {
    if (isMessage(field) && field.number === FIELD.libraryFunction) {
      parse.countFunction();
      const ordinal = index++;
      descend(field, () => walkFunction(parse, field.start, field.end, prefix, ordinal));
    }
  }
}

/** FunctionDef: the signature names the function; its node_def entries are the body. */
function walkFunction(parse: TensorflowParse, start: number, end: number, prefix: string, index: number): void {
  const nodes: WireField[] = [];
  let name = "";
  for (const field of fields(parse.bytes, start, end)) {
    if (!isMessage(field)) continue;
    if (field.number === FIELD.functionSignature) {
      name =
        parse.decode<OpDefMessage>(types.opDef, field.start, field.end, `signature of function ${index}`).name ?? "";
    } else if (field.number === FIELD.functionNode) {
      if (nodes.length >= TENSORFLOW_LIMITS.maxNodes) parse.countNode(); // throws past the bound
      nodes.push(field);
    }
  }
  const label = name === "" ? `#${index}` : truncate(name, TENSORFLOW_LIMITS.maxAttributeString);
  const path = `${prefix}library/function/${label}`;
  if (name !== "") parse.emit({ kind: "text", text: label, key: "function", role: "name", location: { path } });
  const summaries: NodeSummary[] = [];
  try {
    nodes.forEach((field, nodeIndex) => {
      descend(field, () => {
        summaries.push(emitNode(parse, field.start, field.end, `${path}/node[${nodeIndex}]`));
      });
    });
  } finally {
    emitFileArguments(parse, summaries);
  }
}

/** MetaGraphDef: meta info, the graph and its library, signatures and assets. */
export function walkMetaGraph(parse: TensorflowParse, start: number, end: number, prefix: string): void {
  const fed = assetTensors(parse, start, end);
  let assetIndex = 0;
  const singular = new Map<number, number>();
  for (const field of fields(parse.bytes, start, end)) {
    if (!isMessage(field)) continue;
    if (field.number === FIELD.metaGraphGraph || field.number === FIELD.metaGraphMetaInfo) {
      const seen = (singular.get(field.number) ?? 0) + 1;
      singular.set(field.number, seen);
      if (seen === 2) {
        // Every copy is walked, which is protobuf's merged reading (TensorFlow's); readers that keep only
        // the last copy (protobufjs and most hand-written ones) see fewer nodes.
        const what = field.number === FIELD.metaGraphGraph ? "graph_def" : "meta_info_def";
        parse.emit({
          kind: "anomaly",
          code: "parser-differential",
          message: `MetaGraphDef.${what} is written more than once: TensorFlow's protobuf merges the copies, readers that replace it keep only the last`,
          location: { path: `${prefix}${what}` },
        });
      }
    }
    switch (field.number) {
      case FIELD.metaGraphMetaInfo:
        descend(field, () => emitMetaInfo(parse, field, prefix));
        break;
      case FIELD.metaGraphGraph:
        descend(field, () => walkGraphDef(parse, field.start, field.end, prefix, fed));
        break;
      case FIELD.metaGraphSignatures:
        descend(field, () => emitSignature(parse, field, prefix));
        break;
      case FIELD.metaGraphAssets: {
        const path = `${prefix}asset_file_def[${assetIndex++}]`;
        descend(field, () => emitAsset(parse, field, path));
        break;
      }
      default:
        break; // saver, collections and the object graph carry nothing we report
    }
  }
}

/** MetaGraphDef.collection_def, and its map entry's key and value; CollectionDef.any_list; Any.value. */
const COLLECTION_DEF_FIELD = 4;
const ANY_LIST_FIELD = 5;
/** The collection TensorFlow 1 SavedModels listed their assets in before asset_file_def. */
const LEGACY_ASSETS_COLLECTION = "saved_model_assets";

/**
 * The nodes the SavedModel loader feeds with the path of an asset file (`assets/<filename>`) when it
 * runs the init op: those of asset_file_def, or of the legacy `saved_model_assets` collection. Their
 * constants hold the path the asset had when the model was exported. Read before the graph, wherever
 * the fields sit; a damaged field here is left to the main walk to report.
 */
function assetTensors(parse: TensorflowParse, start: number, end: number): Set<string> {
  const names = new Set<string>();
  const add = (bytesStart: number, bytesEnd: number) => {
    const asset = parse.decode<AssetFileDefMessage>(types.assetFileDef, bytesStart, bytesEnd, "asset_file_def");
    const name = asset.tensor_info?.name?.replace(/^\^/, "").split(":")[0];
    if (name) names.add(name);
  };
  try {
    for (const field of fields(parse.bytes, start, end)) {
      if (!isMessage(field)) continue;
      if (field.number === FIELD.metaGraphAssets) add(field.start, field.end);
      else if (field.number === COLLECTION_DEF_FIELD) legacyAssets(parse, field, add);
    }
  } catch (error) {
    // The main walk reads the same fields and says what is wrong with them.
    if (!(error instanceof ProtoProblem)) throw error;
  }
  return names;
}

function legacyAssets(parse: TensorflowParse, entry: WireField, add: (start: number, end: number) => void): void {
  let key = "";
  let value: WireField | undefined;
  for (const field of fields(parse.bytes, entry.start, entry.end)) {
    if (!isMessage(field)) continue;
    if (field.number === 1) key = bytesToText(parse.bytes.subarray(field.start, field.end), 256);
    else if (field.number === 2) value = field;
  }
  if (key !== LEGACY_ASSETS_COLLECTION || !value) return;
  for (const list of fields(parse.bytes, value.start, value.end)) {
    if (!isMessage(list) || list.number !== ANY_LIST_FIELD) continue;
    for (const any of fields(parse.bytes, list.start, list.end)) {
      if (!isMessage(any) || any.number !== 1) continue;
      for (const part of fields(parse.bytes, any.start, any.end)) {
        if (isMessage(part) && part.number === 2) add(part.start, part.end);
      }
    }
  }
}

function emitMetaInfo(parse: TensorflowParse, field: WireField, prefix: string): void {
  const info = parse.decode<MetaInfoDefMessage>(types.metaInfoDef, field.start, field.end, "meta_info_def");
  const path = `${prefix}meta_info_def`;
  const values: [string, string | undefined][] = [
    ["meta_graph_version", info.meta_graph_version],
    ["tensorflow_version", info.tensorflow_version],
    ["tensorflow_git_version", info.tensorflow_git_version],
    ...(info.tags ?? []).map((tag): [string, string] => ["tags", tag]),
  ];
  for (const [key, text] of values) {
    if (text)
      parse.emit({
        kind: "text",
        text: truncate(text, TENSORFLOW_LIMITS.maxText),
        key,
        role: "metadata",
        location: { path },
      });
  }
}

function emitSignature(parse: TensorflowParse, field: WireField, prefix: string): void {
  const entry = parse.decode<SignatureDefEntryMessage>(
    types.signatureDefEntry,
    field.start,
    field.end,
    "signature_def",
  );
  const name = truncate(entry.key ?? "", TENSORFLOW_LIMITS.maxText);
  const path = `${prefix}signature_def/${name}`;
  parse.emit({ kind: "text", text: name, key: "signature_def", role: "name", location: { path } });
  const method = entry.value?.method_name;
  if (method)
    parse.emit({
      kind: "text",
      text: truncate(method, TENSORFLOW_LIMITS.maxText),
      key: "method_name",
      role: "name",
      location: { path },
    });
}

/** Asset files ship beside the SavedModel under assets/; the loader opens whatever filename says. */
function emitAsset(parse: TensorflowParse, field: WireField, path: string): void {
  const asset = parse.decode<AssetFileDefMessage>(types.assetFileDef, field.start, field.end, "asset_file_def");
  const filename = truncate(asset.filename ?? "", TENSORFLOW_LIMITS.maxText);
  if (filename === "") return;
  const key = asset.tensor_info?.name || filename;
  parse.emit({ kind: "text", text: filename, key: "asset_file_def", role: "name", location: { path } });
  parse.emit({ kind: "reference", target: filename, referenceKind: "path", key, location: { path } });
}

/** SavedModel: the schema version, then one MetaGraphDef per tag set. */
export function walkSavedModel(parse: TensorflowParse): void {
  let index = 0;
  for (const field of fields(parse.bytes, 0, parse.bytes.length)) {
    if (field.number === FIELD.savedModelSchemaVersion && field.wireType === WIRE_VARINT) {
      if (field.value !== 1) {
        parse.emit({
          kind: "anomaly",
          code: "unusual-structure",
          message: `SavedModel schema version ${field.value}; TensorFlow writes 1`,
        });
      }
    } else if (field.number === FIELD.savedModelMetaGraphs && isMessage(field)) {
      const prefix = `meta_graph[${index++}]/`;
      descend(field, () => walkMetaGraph(parse, field.start, field.end, prefix));
    } else {
      // protobuf (and so TensorFlow) skips unknown fields: the file still loads, so it is read on.
      parse.emit({
        kind: "anomaly",
        code: "unusual-structure",
        message: `field ${field.number} (wire type ${field.wireType}) is not part of a SavedModel; TensorFlow skips it`,
      });
    }
  }
  if (index === 0) throw new ProtoProblem("malformed", "no meta graph: not a SavedModel TensorFlow could load");
}
