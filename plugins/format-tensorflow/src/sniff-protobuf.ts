import type { SniffInput } from "@modelaudit/core";
import { ProtoProblem, readField, WIRE_LENGTH_DELIMITED, WIRE_VARINT, type WireField } from "./wire-reader.js";

/**
 * Cheap content checks over the sniff head. Protobuf has no magic number, so each sniffer walks the
 * first fields and checks they have the shape the message would have: field numbers, wire types,
 * lengths that fit the file, and names that look like TensorFlow names.
 */

/**
 * Fields of the message in [start, declaredEnd) that are visible in `head`; null when malformed.
 * A length running past the end is accepted (clamped, and the walk stops there): a truncated or
 * length-inflated file must still be claimed so its parser can report it inconclusive.
 */
function visibleFields(head: Uint8Array, start: number, declaredEnd: number, maxFields = 64): WireField[] | null {
  const visibleEnd = Math.min(declaredEnd, head.length);
  const result: WireField[] = [];
  let position = start;
  try {
    while (position < visibleEnd && result.length < maxFields) {
      const field = readField(head, position, visibleEnd, Number.POSITIVE_INFINITY);
      if (!field) break;
      const overrun = field.end > declaredEnd;
      if (overrun) field.end = declaredEnd;
      result.push(field);
      if (overrun) break;
      position = field.end;
    }
  } catch (error) {
    if (error instanceof ProtoProblem) return null;
    throw error;
  }
  return result;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function visibleText(head: Uint8Array, field: WireField): string | null {
  if (field.wireType !== WIRE_LENGTH_DELIMITED || field.end > head.length) return null;
  try {
    return decoder.decode(head.subarray(field.start, field.end));
  } catch {
    return null;
  }
}

// TensorFlow's own rules: node names `[A-Za-z0-9.][A-Za-z0-9_./>-]*`, op names `[A-Za-z_][A-Za-z0-9_>]*`.
const NODE_NAME = /^[A-Za-z0-9.][A-Za-z0-9_./>-]*$/;
const OP_NAME = /^[A-Za-z_][A-Za-z0-9_>]*$/;

/** A NodeDef starts with name (1) then op (2), both strings of TensorFlow's alphabet. */
function looksLikeNodeDef(head: Uint8Array, field: WireField): boolean {
  if (field.wireType !== WIRE_LENGTH_DELIMITED) return false;
  const inner = visibleFields(head, field.start, field.end, 2);
  if (!inner || inner.length < 2) return false;
  const [name, op] = inner as [WireField, WireField];
  if (name.number !== 1 || op.number !== 2) return false;
  const nameText = visibleText(head, name);
  const opText = visibleText(head, op);
  return nameText !== null && opText !== null && NODE_NAME.test(nameText) && OP_NAME.test(opText);
}

/** GraphDef: node (1), library (2), version (3, varint), versions (4). */
function graphDefShape(head: Uint8Array, start: number, end: number, requireNode: boolean): boolean {
  const top = visibleFields(head, start, end);
  if (!top || top.length === 0) return !requireNode && top !== null;
  for (const field of top) {
    const allowed =
      ((field.number === 1 || field.number === 2 || field.number === 4) && field.wireType === WIRE_LENGTH_DELIMITED) ||
      (field.number === 3 && field.wireType === WIRE_VARINT);
    if (!allowed) return false;
  }
  const first = top[0] as WireField;
  if (first.number === 1) return looksLikeNodeDef(head, first);
  return !requireNode;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * MetaInfoDef: strings/messages 1-6 and 8, the bool 7; and at least one of its strings (version,
 * tags, TensorFlow version) visible and printable, so random bytes rarely pass.
 */
function metaInfoShape(head: Uint8Array, field: WireField): boolean {
  const inner = visibleFields(head, field.start, field.end);
  if (!inner) return false;
  const shaped = inner.every((item) =>
    item.number === 7 ? item.wireType === WIRE_VARINT : item.number <= 8 && item.wireType === WIRE_LENGTH_DELIMITED,
  );
  if (!shaped) return false;
  return inner.some((item) => {
    if (item.number !== 1 && item.number !== 4 && item.number !== 5 && item.number !== 6) return false;
    const text = visibleText(head, item);
    return text !== null && PRINTABLE.test(text);
  });
}

/**
 * MetaGraphDef: messages 1-7 in ascending order (the order every protobuf writer uses), with
 * positive evidence: a meta_info_def with a readable string, or a graph_def whose first node looks
 * like a NodeDef.
 */
function metaGraphShape(head: Uint8Array, start: number, end: number): { ok: boolean; numbers: number[] } {
  const rejected = { ok: false, numbers: [] };
  const top = visibleFields(head, start, end);
  if (!top || top.length === 0) return rejected;
  let previous = 0;
  for (const field of top) {
    if (field.number < 1 || field.number > 7 || field.wireType !== WIRE_LENGTH_DELIMITED) return rejected;
    if (field.number < previous) return rejected;
    const singular = field.number === 1 || field.number === 2 || field.number === 3 || field.number === 7;
    if (singular && field.number === previous) return rejected;
    previous = field.number;
  }
  const info = top.find((field) => field.number === 1);
  if (info && !metaInfoShape(head, info)) return rejected;
  const graph = top.find((field) => field.number === 2);
  if (graph && !graphDefShape(head, graph.start, graph.end, false)) return rejected;
  const graphEvidence = graph !== undefined && graphDefShape(head, graph.start, graph.end, true);
  if (!info && !graphEvidence) return rejected;
  return { ok: true, numbers: top.map((field) => field.number) };
}

export const SAVED_MODEL_NAME = "saved_model.pb";
export const KERAS_METADATA_NAME = "keras_metadata.pb";

/**
 * SavedModel: schema version (1, varint) then meta_graphs (2). A file named saved_model.pb is always
 * claimed: TensorFlow will try to load it, so if it is not a SavedModel we say so (inconclusive).
 */
export function sniffSavedModel(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME) return true;
  const top = visibleFields(input.head, 0, input.size, 4);
  if (!top || top.length === 0) return false;
  const [first, second] = top as [WireField, WireField | undefined];
  if (first.number === 1 && first.wireType === WIRE_VARINT) {
    if (first.value !== 1 || !second) return false;
    return second.number === 2 && metaGraphShape(input.head, second.start, second.end).ok;
  }
  return false;
}

/** Frozen GraphDef: repeated NodeDef (1) whose first fields are a node name and an op name. */
export function sniffGraphDef(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME || input.name === KERAS_METADATA_NAME) return false;
  return graphDefShape(input.head, 0, input.size, true);
}

/** MetaGraphDef (`.meta`): needs the extension, or meta_info_def followed by graph_def. */
export function sniffMetaGraph(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME || input.name === KERAS_METADATA_NAME) return false;
  const shape = metaGraphShape(input.head, 0, input.size);
  if (!shape.ok) return false;
  if (input.extension === ".meta") return true;
  return shape.numbers[0] === 1 && shape.numbers[1] === 2;
}

/** keras_metadata.pb (SavedMetadata): recognised by name, like saved_model.pb; the parser checks the content. */
export function sniffKerasMetadata(input: SniffInput): boolean {
  return input.name === KERAS_METADATA_NAME;
}
