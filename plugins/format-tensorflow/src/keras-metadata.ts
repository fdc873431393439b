import type { SavedObjectMessage } from "./messages.js";
import { TENSORFLOW_LIMITS, type TensorflowParse, truncate } from "./parse-session.js";
import { FIELD, types } from "./schema.js";
import { descend, fields, ProtoProblem, WIRE_LENGTH_DELIMITED, type WireField } from "./wire-reader.js";

/** JSON nested deeper than this is not parsed (the text fact is still emitted). */
const MAX_JSON_DEPTH = 256;

/** Nesting depth of a JSON text, counted outside strings, without parsing it. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 0x5c) index++;
      else if (character === 0x22) inString = false;
    } else if (character === 0x22) inString = true;
    else if (character === 0x5b || character === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (character === 0x5d || character === 0x7d) depth--;
  }
  return deepest;
}

interface LayerMetadata {
  class_name?: unknown;
  name?: unknown;
  config?: { name?: unknown };
}

/**
 * keras_metadata.pb: one JSON document per saved Keras object. The JSON is a config (text facts);
 * judging its modules and Lambda bytecode is the Keras handler's job. Lambda layers also become
 * graph-node facts so operator-level detectors see them.
 */
export function walkKerasMetadata(parse: TensorflowParse): void {
  let index = 0;
  for (const field of fields(parse.bytes, 0, parse.bytes.length)) {
    if (field.number !== FIELD.savedMetadataNodes || field.wireType !== WIRE_LENGTH_DELIMITED) {
      throw new ProtoProblem(
        "malformed",
        `field ${field.number} (wire type ${field.wireType}) is not part of Keras metadata`,
      );
    }
    parse.countNode();
    const path = `nodes[${index++}]`;
    descend(field, () => emitSavedObject(parse, field, path));
  }
}

function emitSavedObject(parse: TensorflowParse, field: WireField, path: string): void {
  const node = parse.decode<SavedObjectMessage>(types.savedObject, field.start, field.end, path);
  const metadata = node.metadata ?? "";
  if (metadata === "") return;
  const nodePath = node.node_path ?? "";
  parse.emit({
    kind: "text",
    text: truncate(metadata, TENSORFLOW_LIMITS.maxText),
    key: nodePath === "" ? `${path}.metadata` : nodePath,
    role: "config",
    location: { path: `${path}/metadata` },
  });
  if (jsonDepth(metadata) > MAX_JSON_DEPTH) {
    parse.noteLimit("json-depth", `metadata JSON nested deeper than ${MAX_JSON_DEPTH} levels; not parsed`, path);
    return;
  }
  let layer: LayerMetadata;
  try {
    layer = JSON.parse(metadata) as LayerMetadata;
  } catch {
    parse.problem("malformed", `metadata of ${path} is not JSON`, path);
    return;
  }
  if (typeof layer !== "object" || layer === null) return;
  if (typeof layer.class_name === "string" && typeof layer.config === "object" && layer.config !== null) {
    parse.handOffs.push({ name: `${path}.json`, text: metadata });
  }
  if (layer.class_name !== "Lambda") return;
  const name =
    typeof layer.name === "string" ? layer.name : typeof layer.config?.name === "string" ? layer.config.name : nodePath;
  parse.emit({
    kind: "graph-node",
    framework: "keras",
    op: "Lambda",
    name: truncate(name, TENSORFLOW_LIMITS.maxAttributeString),
    attributes: {
      node_path: truncate(nodePath, TENSORFLOW_LIMITS.maxAttributeString),
      identifier: truncate(node.identifier ?? "", TENSORFLOW_LIMITS.maxAttributeString),
    },
    location: { path },
  });
}
