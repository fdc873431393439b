import type { SniffInput } from "@modelaudit/core";
import { ProtoProblem, quietly, readField, WIRE_LENGTH_DELIMITED, WIRE_VARINT, type WireField } from "./wire-reader.js";

/**
 * Cheap content checks over the sniff head. Protobuf has no magic number, so each sniffer walks the
 * first fields and checks they have the shape the message would have: field numbers, wire types,
 * lengths that fit the file, and names that look like TensorFlow names.
 */

/** Most fields a walk reads (callers may ask for fewer). */
const MAX_FIELDS = 64;

/**
 * The walk of a head from offset 0, which each sniffer of this plugin begins with (four per file):
 * walked once per head, and shared. `malformed` says the walk stopped at a field that could not be read.
 */
const headWalks = new WeakMap<Uint8Array, { declaredEnd: number; fields: WireField[]; malformed: boolean }>();

/**
 * Fields of the message in [start, declaredEnd) that are visible in `head`; null when malformed.
 * A length running past the end is accepted (clamped, and the walk stops there): a truncated or
 * length-inflated file must still be claimed so its parser can report it inconclusive.
 */
function visibleFields(
  head: Uint8Array,
  start: number,
  declaredEnd: number,
  maxFields = MAX_FIELDS,
): WireField[] | null {
  if (start !== 0 || maxFields > MAX_FIELDS) {
    const walk = walkFields(head, start, declaredEnd, maxFields);
    return walk.malformed ? null : walk.fields;
  }
  let walk = headWalks.get(head);
  if (!walk || walk.declaredEnd !== declaredEnd) {
    walk = { declaredEnd, ...walkFields(head, 0, declaredEnd, MAX_FIELDS) };
    headWalks.set(head, walk);
  }
  // A shorter walk stops before a malformed field that comes after its last one.
  if (walk.malformed && walk.fields.length < maxFields) return null;
  return walk.fields.slice(0, maxFields);
}

function walkFields(
  head: Uint8Array,
  start: number,
  declaredEnd: number,
  maxFields: number,
): { fields: WireField[]; malformed: boolean } {
  const visibleEnd = Math.min(declaredEnd, head.length);
  const fields: WireField[] = [];
  let position = start;
  // Nearly every file sniffed is not a protobuf, and its head throws a ProtoProblem here: quietly,
  // one shared problem is thrown, not an Error built per head (they cost more than the sniff).
  try {
    quietly(() => {
      while (position < visibleEnd && fields.length < maxFields) {
        const field = readField(head, position, visibleEnd, Number.POSITIVE_INFINITY);
        if (!field) break;
        const overrun = field.end > declaredEnd;
        if (overrun) {
          field.end = declaredEnd;
          field.cutShort = "cut by the end of the message or file";
        }
        fields.push(field);
        if (overrun) break;
        position = field.end;
      }
    });
  } catch (error) {
    if (error instanceof ProtoProblem) return { fields, malformed: true };
    throw error;
  }
  return { fields, malformed: false };
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

type Verdict = "yes" | "maybe" | "no";

/** Field numbers above this are tolerated as unknown fields in a GraphDef. */
const UNKNOWN_FROM = 16;

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A NodeDef: name (1), op (2), input (3), device (4) are strings, attr (5), debug info (6) and type
 * (7) messages, in any order (protobuf parsers accept any). "yes" once a valid op name (and the
 * name, when present before it) is seen; "maybe" when nothing contradicts it but the op is not
 * visible (an empty node, or an attribute written first that pushes the op past the head); with
 * `attributeEvidence`, "maybe" needs an attribute whose key looks like one.
 */
function nodeDefVerdict(head: Uint8Array, field: WireField, attributeEvidence = false): Verdict {
  if (field.wireType !== WIRE_LENGTH_DELIMITED) return "no";
  const inner = visibleFields(head, field.start, field.end, 16);
  if (!inner) return "no";
  let attribute = false;
  for (const item of inner) {
    if (item.number > 7) continue; // unknown fields: protobuf skips them, and so does TensorFlow
    if (item.number < 1 || item.wireType !== WIRE_LENGTH_DELIMITED) return "no";
    if (item.number === 5) {
      const entry = visibleFields(head, item.start, item.end, 1);
      const key = entry?.[0];
      const text = key && key.number === 1 ? visibleText(head, key) : null;
      attribute ||= text !== null && ATTRIBUTE_NAME.test(text);
      continue;
    }
    if (item.number > 4 || item.cutShort) continue; // a string cut by the end of the file: nothing to check
    const text = visibleText(head, item);
    if (text === null) {
      if (item.end <= head.length) return "no"; // not UTF-8: not a name
      continue; // cut by the head: nothing to check
    }
    if (item.number === 1 && !NODE_NAME.test(text)) return "no";
    // The op decides; what follows may be the next node already when the node's length was inflated.
    if (item.number === 2) return OP_NAME.test(text) ? "yes" : "no";
  }
  return attributeEvidence && !attribute ? "no" : "maybe";
}

/**
 * GraphDef: node (1), library (2), version (3, varint), versions (4), in any order. Evidence is a
 * visible node with an op name; `lenient` (the file's extension says GraphDef) also takes a node
 * cut by the head before its op, if it shows a well-formed attribute.
 */
function graphDefShape(head: Uint8Array, start: number, end: number, requireNode: boolean, lenient = false): boolean {
  const top = visibleFields(head, start, end);
  if (!top || top.length === 0) return !requireNode && top !== null;
  let evidence = false;
  for (const field of top) {
    // Unknown fields are skipped by protobuf; the evidence must come from a node. Numbers 5-16 stay
    // refused: an ONNX GraphProto (initializer 5, inputs 11, outputs 12...) would pass for a GraphDef.
    if (field.number > UNKNOWN_FROM) continue;
    const allowed =
      ((field.number === 1 || field.number === 2 || field.number === 4) && field.wireType === WIRE_LENGTH_DELIMITED) ||
      (field.number === 3 && field.wireType === WIRE_VARINT);
    if (!allowed) return false;
    if (field.number !== 1) continue;
    const cutByHead = field.end > head.length;
    const verdict = nodeDefVerdict(head, field, lenient && cutByHead);
    if (verdict === "no") return false;
    evidence ||= verdict === "yes" || (lenient && cutByHead && field.end - field.start > 0);
  }
  return evidence || !requireNode;
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
 * MetaGraphDef: messages 1-7 in any order, each possibly repeated (protobuf merges a repeated
 * singular message), with positive evidence: a meta_info_def with a readable string, or a graph_def
 * whose visible nodes look like NodeDefs.
 */
function metaGraphShape(head: Uint8Array, start: number, end: number): boolean {
  const top = visibleFields(head, start, end);
  if (!top || top.length === 0) return false;
  let evidence = false;
  for (const field of top) {
    if (field.number > 7) continue; // unknown fields, skipped by protobuf
    if (field.wireType !== WIRE_LENGTH_DELIMITED) return false;
    if (field.number === 1) {
      // A meta_info_def cut by the end of the file may not show a whole string yet: no evidence, no refusal.
      if (metaInfoShape(head, field)) evidence = true;
      else if (!field.cutShort) return false;
    } else if (field.number === 2) {
      if (!graphDefShape(head, field.start, field.end, false)) return false;
      evidence ||= graphDefShape(head, field.start, field.end, true);
    }
  }
  return evidence;
}

export const SAVED_MODEL_NAME = "saved_model.pb";
export const KERAS_METADATA_NAME = "keras_metadata.pb";

/**
 * SavedModel: schema version (1, varint) and meta_graphs (2), in any order. A file named
 * saved_model.pb is always claimed: TensorFlow will try to load it, so if it is not a SavedModel we
 * say so (inconclusive).
 */
export function sniffSavedModel(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME) return true;
  const top = visibleFields(input.head, 0, input.size, 8);
  if (!top || top.length === 0) return false;
  let metaGraphs = 0;
  for (const field of top) {
    if (field.number === 1 && field.wireType === WIRE_VARINT) {
      if (field.value !== 1) return false;
    } else if (field.number === 2 && field.wireType === WIRE_LENGTH_DELIMITED) {
      if (!metaGraphShape(input.head, field.start, field.end)) return false;
      metaGraphs++;
    } else if (field.number <= 2) {
      return false;
    }
  }
  return metaGraphs > 0;
}

/**
 * Frozen GraphDef: repeated NodeDef (1), library, versions in any order, with a visible node that
 * names its op; with a `.pb`/`.pbtxt`-less GraphDef extension a node whose op lies past the head is enough.
 */
export function sniffGraphDef(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME || input.name === KERAS_METADATA_NAME) return false;
  return graphDefShape(input.head, 0, input.size, true, GRAPH_EXTENSIONS.has(input.extension));
}

/** Extensions frozen graphs are written under. */
const GRAPH_EXTENSIONS = new Set([".pb", ".graphdef"]);

/**
 * MetaGraphDef (`.meta`): fields in any order. Without the extension, a file that is also a
 * GraphDef by content (its first field is a node with an op name) is left to the GraphDef sniffer.
 */
export function sniffMetaGraph(input: SniffInput): boolean {
  if (input.name === SAVED_MODEL_NAME || input.name === KERAS_METADATA_NAME) return false;
  if (input.extension === ".meta" && cutBeforeContent(input)) return true;
  if (!metaGraphShape(input.head, 0, input.size)) return false;
  if (input.extension === ".meta") return true;
  return !graphDefShape(input.head, 0, input.size, true);
}

/** Payload bytes a field must show before its content can be checked. */
const CHECKABLE = 8;

/**
 * A file cut inside the header of its first MetaGraphDef field (tag, length, or the first few
 * payload bytes): nothing to check yet, nothing contradicting. Claimed under `.meta` so the parser
 * reports the cut instead of the file passing as "not a model".
 */
function cutBeforeContent(input: SniffInput): boolean {
  // A tag, a length and fewer than CHECKABLE bytes: such a file is a few bytes long.
  if (input.size >= 16) return false;
  const top = visibleFields(input.head, 0, input.size, 2);
  if (top === null) return false;
  if (top.length === 0) return input.size > 0;
  const [first] = top as [WireField];
  return (
    top.length === 1 &&
    first.cutShort !== undefined &&
    first.number >= 1 &&
    first.number <= 7 &&
    first.wireType === WIRE_LENGTH_DELIMITED &&
    first.end - first.start < CHECKABLE
  );
}

/** keras_metadata.pb (SavedMetadata): recognised by name, like saved_model.pb; the parser checks the content. */
export function sniffKerasMetadata(input: SniffInput): boolean {
  return input.name === KERAS_METADATA_NAME;
}
