import type { SniffInput } from "@modelaudit/core";

/** Field number → wire type (and whether the value is text we can check), per message. */
type Shape = ReadonlyMap<number, { wire: number; text?: boolean }>;

const MODEL_FIELDS: Shape = new Map([
  [1, { wire: 0 }], // ir_version
  [2, { wire: 2, text: true }], // producer_name
  [3, { wire: 2, text: true }], // producer_version
  [4, { wire: 2, text: true }], // domain
  [5, { wire: 0 }], // model_version
  [6, { wire: 2, text: true }], // doc_string
  [7, { wire: 2 }], // graph
  [8, { wire: 2 }], // opset_import
  [14, { wire: 2 }], // metadata_props
  [20, { wire: 2 }], // training_info
  [25, { wire: 2 }], // functions
]);

const GRAPH_FIELDS: Shape = new Map([
  [1, { wire: 2 }], // node
  [2, { wire: 2, text: true }], // name
  [5, { wire: 2 }], // initializer
  [10, { wire: 2, text: true }], // doc_string
  [11, { wire: 2 }], // input
  [12, { wire: 2 }], // output
  [13, { wire: 2 }], // value_info
  [14, { wire: 2 }], // quantization_annotation
  [15, { wire: 2 }], // sparse_initializer
  [16, { wire: 2 }], // metadata_props
]);

const NODE_FIELDS: Shape = new Map([
  [1, { wire: 2, text: true }], // input
  [2, { wire: 2, text: true }], // output
  [3, { wire: 2, text: true }], // name
  [4, { wire: 2, text: true }], // op_type
  [5, { wire: 2 }], // attribute
  [6, { wire: 2, text: true }], // doc_string
  [7, { wire: 2, text: true }], // domain
  [8, { wire: 2, text: true }], // overload
  [9, { wire: 2 }], // metadata_props
]);

const OPSET_FIELDS: Shape = new Map([
  [1, { wire: 2, text: true }], // domain
  [2, { wire: 0 }], // version
]);

/** IR versions released so far run 3 (ONNX 1.0) to 11; leave room for a few more. */
const MAX_IR_VERSION = 32;
/** An operator name: what every ONNX runtime resolves (standard, ai.onnx.ml, contrib and custom ops alike). */
const OP_TYPE = /^[A-Za-z_][A-Za-z0-9_.]{0,127}$/;

interface HeadField {
  number: number;
  wire: number;
  /** Varint value (wire 0). */
  value: number;
  /** Payload start and declared end (wire 2); the end may lie past the head or the file. */
  start: number;
  end: number;
  /** The declared length ran past the file: the end was cut to the file's end. */
  cut?: boolean;
}

/**
 * An ONNX file is a ModelProto, and `onnx.load` (protobuf's ParseFromString) accepts its fields in
 * any order, repeated, or interleaved with unknown ones. So the sniffer does not look for
 * `ir_version` first: it walks every top-level field visible in the head, requires each to have
 * ModelProto's shape, and asks for positive evidence from any of them: an IR version in range, a
 * graph whose first fields look like a GraphProto (a node with an operator name), or an opset
 * import naming a domain and version. A SavedModel (field 1 = 1 then a binary field 2) and a
 * GraphDef (field 1 is a message) fail on wire types or text checks.
 */
export function sniffOnnx(input: SniffInput): boolean {
  const { head, size } = input;
  const fields = walkHead(head, 0, Math.min(size, head.length), size);
  if (!fields) return false;
  // A file named .onnx cut inside its first field shows nothing to contradict it: claimed, so the
  // parser reports the cut (inconclusive) instead of the file passing as "not a model".
  if (fields.length === 0) return input.extension === ".onnx" && size > 0;
  let irVersion: number | undefined;
  let graphEvidence = false;
  let opsetEvidence = false;
  let supporting = 0;
  let unknown = 0;
  for (const field of fields) {
    const expected = MODEL_FIELDS.get(field.number);
    if (!expected) {
      unknown++; // protobuf keeps unknown fields; no writer adds them, so they never count as evidence
      continue;
    }
    if (expected.wire !== field.wire) return false;
    if (field.number === 1) {
      irVersion = field.value; // a repeated scalar: the last one wins, as in protobuf
      continue;
    }
    if (field.wire === 0) continue;
    if (expected.text) {
      if (!looksLikeText(head.subarray(field.start, Math.min(field.end, head.length)))) return false;
    } else if (field.number === 7) {
      const verdict = graphShape(head, field);
      if (verdict === "no") return false;
      graphEvidence ||= verdict === "yes";
    } else if (field.number === 8) {
      const verdict = messageShape(head, field, OPSET_FIELDS);
      if (verdict === "no") return false;
      opsetEvidence ||= verdict === "yes";
    } else if (!startsLikeMessage(head, field.start, field.end)) {
      return false;
    }
    supporting++;
  }
  const irInRange = irVersion !== undefined && irVersion >= 1 && irVersion <= MAX_IR_VERSION;
  if (irVersion !== undefined && !irInRange) return false;
  // Named .onnx, nothing contradicting ModelProto is enough: even only unknown or cut fields (a damaged
  // or cut model is claimed so the parser can say so; onnx.load skips unknown fields).
  if (input.extension === ".onnx") return true;
  if (unknown > 0 && !graphEvidence) return false;
  if (graphEvidence) return true;
  return irVersion !== undefined && irVersion >= 3 && (supporting > 0 || opsetEvidence);
}

/**
 * The fields of [start, visibleEnd), ending where the head ends or a payload runs past it; null
 * when a field is malformed (bad tag, wire type, or a length past the file itself).
 */
function walkHead(head: Uint8Array, start: number, visibleEnd: number, declaredEnd: number): HeadField[] | null {
  const fields: HeadField[] = [];
  let position = start;
  while (position < visibleEnd && fields.length < 256) {
    const tag = readVarint(head, position, visibleEnd);
    if (!tag) break; // the head ends inside a tag
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (number === 0) return null;
    const field: HeadField = { number, wire, value: 0, start: tag.next, end: tag.next };
    if (wire === 0) {
      const value = readVarint(head, tag.next, visibleEnd);
      if (!value) break;
      field.value = value.value;
      field.end = value.next;
    } else if (wire === 2) {
      const length = readVarint(head, tag.next, visibleEnd);
      if (!length) break;
      field.start = length.next;
      field.end = length.next + length.value;
      // A length past the file is what a truncated model looks like: claimed, and the parser says so.
      if (field.end > declaredEnd) {
        fields.push({ ...field, end: declaredEnd, cut: true });
        break;
      }
    } else if (wire === 1 || wire === 5) {
      field.end = tag.next + (wire === 1 ? 8 : 4);
    } else if (wire === 3) {
      // No ONNX message has groups, but protobuf skips an unknown group field and onnx.load goes on.
      const groupEnd = skipGroup(head, tag.next, visibleEnd, number, 1);
      if (groupEnd === null) return null;
      if (groupEnd === undefined) break; // the head ends inside the group
      field.end = groupEnd;
    } else {
      return null; // a stray end-group and wire types 6-7: protobuf refuses them too
    }
    fields.push(field);
    if (field.end > visibleEnd) break;
    position = field.end;
  }
  return fields;
}

/** Past the end-group tag matching `number`; undefined when the bytes end first, null when malformed. */
function skipGroup(
  bytes: Uint8Array,
  position: number,
  end: number,
  number: number,
  depth: number,
): number | null | undefined {
  if (depth > 100) return null; // protobuf's recursion limit
  let at = position;
  while (at < end) {
    const tag = readVarint(bytes, at, end);
    if (!tag) return undefined;
    const wire = tag.value % 8;
    const inner = Math.floor(tag.value / 8);
    if (inner === 0) return null;
    if (wire === 4) return inner === number ? tag.next : null;
    if (wire === 3) {
      const next = skipGroup(bytes, tag.next, end, inner, depth + 1);
      if (next === null || next === undefined) return next;
      at = next;
    } else if (wire === 0) {
      const value = readVarint(bytes, tag.next, end);
      if (!value) return undefined;
      at = value.next;
    } else if (wire === 2) {
      const length = readVarint(bytes, tag.next, end);
      if (!length) return undefined;
      at = length.next + length.value;
    } else if (wire === 1 || wire === 5) {
      at = tag.next + (wire === 1 ? 8 : 4);
    } else {
      return null;
    }
  }
  return undefined;
}

type Verdict = "yes" | "maybe" | "no";

/** Every visible field has the message's shape: "yes" when one of them is checkable text, "maybe" when none is visible. */
function messageShape(head: Uint8Array, field: HeadField, shape: Shape): Verdict {
  const inner = walkHead(head, field.start, Math.min(field.end, head.length), field.end);
  if (!inner) return "no";
  let evidence = false;
  for (const item of inner) {
    const expected = shape.get(item.number);
    // Inside a message protobuf skips what it does not know (and a known number on another wire
    // type): onnx.load goes on, so the sniff does too, without counting it as evidence.
    if (!expected || expected.wire !== item.wire) continue;
    if (expected.text) {
      if (!looksLikeText(head.subarray(item.start, Math.min(item.end, head.length)))) return "no";
      evidence ||= item.end <= head.length;
    }
  }
  return evidence ? "yes" : "maybe";
}

/**
 * A GraphProto: its visible fields have the graph's shape and a visible node names a plausible
 * operator. A graph whose length runs past the file (cut) is judged on what precedes the first
 * misfit, since the bytes after it belong to whatever followed the graph.
 */
function graphShape(head: Uint8Array, field: HeadField): Verdict {
  const verdict = graphFields(head, field);
  return verdict.misfit && !(field.cut && verdict.evidence) ? "no" : verdict.evidence ? "yes" : "maybe";
}

function graphFields(head: Uint8Array, field: HeadField): { evidence: boolean; misfit: boolean } {
  let evidence = false;
  const no = () => ({ evidence, misfit: true });
  const inner = walkHead(head, field.start, Math.min(field.end, head.length), field.end);
  if (!inner) return no();
  for (const item of inner) {
    const expected = GRAPH_FIELDS.get(item.number);
    // Skipped by protobuf, so by the sniff (see messageShape).
    if (!expected || expected.wire !== item.wire) continue;
    if (expected.text && !looksLikeText(head.subarray(item.start, Math.min(item.end, head.length)))) return no();
    if (item.number === 1) {
      const node = walkHead(head, item.start, Math.min(item.end, head.length), item.end);
      if (!node) return no();
      for (const part of node) {
        const shape = NODE_FIELDS.get(part.number);
        if (!shape || shape.wire !== part.wire) continue;
        if (part.number === 4 && !part.cut && part.end <= head.length) {
          const opType = new TextDecoder().decode(head.subarray(part.start, part.end));
          if (!OP_TYPE.test(opType)) return no();
          evidence = true;
        }
      }
    } else if (item.number !== 2 && item.number !== 10 && !startsLikeMessage(head, item.start, item.end)) {
      return no();
    }
  }
  return { evidence, misfit: false };
}

function readVarint(bytes: Uint8Array, position: number, end: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  for (let at = position; at < end && shift <= 63; at++) {
    const byte = bytes[at] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return { value, next: at + 1 };
  }
  return undefined;
}

/** UTF-8 text without control characters other than tab and line breaks. */
function looksLikeText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
    if (byte === 0x7f) return false;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** An embedded message starts with a tag whose field number is plausible and wire type is valid. */
function startsLikeMessage(bytes: Uint8Array, position: number, end: number): boolean {
  if (end <= position) return true;
  const tag = readVarint(bytes, position, Math.min(end, bytes.length));
  if (!tag) return true;
  const wire = tag.value % 8;
  const number = Math.floor(tag.value / 8);
  return number >= 1 && number <= 64 && (wire === 0 || wire === 1 || wire === 2 || wire === 5);
}
