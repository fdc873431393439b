/**
 * A minimal protobuf wire-format walker. The container levels of TensorFlow files (SavedModel →
 * MetaGraphDef → GraphDef → NodeDef) are walked with it so that every length is checked against the
 * bytes that exist and counts are bounded before protobufjs allocates anything; protobufjs then
 * decodes the small leaf messages (one NodeDef at a time).
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** protobuf's own recursion limit, which also bounds groups nested in unknown fields. */
const MAX_GROUP_DEPTH = 100;

export type ProtoProblemCode = "truncated" | "malformed" | "limit-exceeded";

/** A structural problem in a protobuf stream, with the anomaly code it maps to. */
export class ProtoProblem extends Error {
  constructor(
    readonly code: ProtoProblemCode,
    message: string,
  ) {
    super(message);
    this.name = "ProtoProblem";
  }
}

/**
 * True while `quietly` runs: the field readers then throw QUIET_PROBLEM, made once, instead of a new
 * ProtoProblem. Sniffers walk heads that are mostly not protobuf, and an Error built per head (~0.7 µs
 * even without a stack trace, several per file) cost more than the walk on a folder of small files.
 */
let quiet = false;
const QUIET_PROBLEM = new ProtoProblem("malformed", "not a well-formed protobuf message");

/** The problem to throw: a new one, or the shared one while walking quietly. */
function problem(code: ProtoProblemCode, message: string): ProtoProblem {
  return quiet ? QUIET_PROBLEM : new ProtoProblem(code, message);
}

/** Runs `walk` with the field readers throwing one shared ProtoProblem (code "malformed", no detail). */
export function quietly<T>(walk: () => T): T {
  const before = quiet;
  quiet = true;
  try {
    return walk();
  } finally {
    quiet = before;
  }
}

export interface WireField {
  number: number;
  wireType: number;
  /** Offset of the tag. */
  offset: number;
  /** Payload range (for varints: the varint bytes). */
  start: number;
  end: number;
  /** The varint value (exact up to 2**53). */
  value: number;
  /** Set when the payload ran past the enclosing message and was cut: says by how much. */
  cutShort?: string;
}

interface Varint {
  value: number;
  next: number;
}

/** Reads a varint inside [position, end); null when it runs past `end`; throws when longer than 10 bytes. */
export function readVarint(bytes: Uint8Array, position: number, end: number): Varint | null {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < 10; index++) {
    if (position + index >= end) return null;
    const byte = bytes[position + index] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: position + index + 1 };
  }
  throw problem("malformed", `varint longer than 10 bytes at offset ${position}`);
}

/**
 * Reads one field at `position` inside [position, end). Returns null when the tag itself is cut at
 * `end`; throws a ProtoProblem when the field is malformed or its payload runs past `limit`
 * (the end of the enclosing message as declared, which may lie beyond the visible bytes).
 */
export function readField(bytes: Uint8Array, position: number, end: number, limit = end): WireField | null {
  const tag = readVarint(bytes, position, end);
  if (!tag) return null;
  const number = Math.floor(tag.value / 8);
  const wireType = tag.value % 8;
  if (number === 0 || number > 0x1fffffff) {
    throw problem("malformed", `invalid field number ${number} at offset ${position}`);
  }
  const field: WireField = { number, wireType, offset: position, start: tag.next, end: tag.next, value: 0 };
  switch (wireType) {
    case WIRE_VARINT: {
      const varint = readVarint(bytes, tag.next, end);
      if (!varint) return cut(end, limit, position);
      field.value = varint.value;
      field.end = varint.next;
      return field;
    }
    case WIRE_FIXED64:
    case WIRE_FIXED32: {
      field.end = tag.next + (wireType === WIRE_FIXED64 ? 8 : 4);
      if (field.end > limit) throw problem("truncated", `fixed-width field at offset ${position} is cut short`);
      return field;
    }
    case WIRE_LENGTH_DELIMITED: {
      const length = readVarint(bytes, tag.next, end);
      if (!length) return cut(end, limit, position);
      field.value = length.value;
      field.start = length.next;
      field.end = length.next + length.value;
      if (field.end > limit) {
        throw problem(
          "truncated",
          `field ${number} at offset ${position} declares ${length.value} bytes but only ${Math.max(0, limit - length.next)} remain`,
        );
      }
      return field;
    }
    case WIRE_START_GROUP: {
      // No TensorFlow message has groups, but protobuf skips an unknown group field and loads the
      // file, so it is read past as an opaque field (callers ignore wire type 3).
      const groupEnd = skipGroup(bytes, tag.next, end, limit, number, 1);
      if (groupEnd === null) return cut(end, limit, position);
      field.end = groupEnd;
      return field;
    }
    default:
      throw problem("malformed", `unsupported wire type ${wireType} at offset ${position}`);
  }
}

/** The offset just past the end-group tag matching `number`; null when [position, end) ends first. */
function skipGroup(
  bytes: Uint8Array,
  position: number,
  end: number,
  limit: number,
  number: number,
  depth: number,
): number | null {
  if (depth > MAX_GROUP_DEPTH) {
    throw problem("malformed", `groups nested deeper than ${MAX_GROUP_DEPTH} at offset ${position}`);
  }
  let at = position;
  while (at < end) {
    const tag = readVarint(bytes, at, end);
    if (!tag) return null;
    if (tag.value % 8 === WIRE_END_GROUP) {
      if (Math.floor(tag.value / 8) !== number) {
        throw problem("malformed", `end of group ${Math.floor(tag.value / 8)} inside group ${number} at offset ${at}`);
      }
      return tag.next;
    }
    if (tag.value % 8 === WIRE_START_GROUP) {
      const inner = skipGroup(bytes, tag.next, end, limit, Math.floor(tag.value / 8), depth + 1);
      if (inner === null) return null;
      at = inner;
      continue;
    }
    const field = readField(bytes, at, end, limit);
    if (!field) return null;
    at = field.end;
  }
  return null;
}

function cut(end: number, limit: number, position: number): null {
  if (end < limit) return null; // the visible window ends here; the message goes on
  throw problem("truncated", `field at offset ${position} is cut short`);
}

/**
 * Every field of the message in [start, end), in order. A length-delimited field that runs past
 * `end` is still yielded, cut at `end` (so the complete part of a truncated file is reported), and
 * then the walk throws a "truncated" ProtoProblem.
 */
export function* fields(bytes: Uint8Array, start: number, end: number): Generator<WireField> {
  let position = start;
  while (position < end) {
    const field = readField(bytes, position, end, Number.POSITIVE_INFINITY);
    if (!field) throw new ProtoProblem("truncated", `message ends inside a field at offset ${position}`);
    if (field.end > end) {
      field.cutShort = `field ${field.number} at offset ${position} declares ${field.end - field.start} bytes but only ${Math.max(0, end - field.start)} remain`;
      field.end = Math.max(field.start, end);
      yield field;
      throw new ProtoProblem("truncated", field.cutShort);
    }
    yield field;
    position = field.end;
  }
}

/**
 * Upper bound on how many objects a decode of [start, end) could allocate: counts fields, and the
 * fields of every length-delimited payload that itself parses as a message, down to `depth` levels.
 * Stops counting at `budget`.
 */
export function estimateFieldCount(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  budget: number,
): number {
  let count = 0;
  let position = start;
  while (position < end && count < budget) {
    let field: WireField | null;
    try {
      field = readField(bytes, position, end);
    } catch {
      return count; // not a message: a string or packed payload, counted by its parent already
    }
    if (!field) return count;
    count++;
    if (field.wireType === WIRE_LENGTH_DELIMITED && depth > 0 && field.end > field.start) {
      count += estimateFieldCount(bytes, field.start, field.end, depth - 1, budget - count);
    }
    position = field.end;
  }
  return count;
}

/**
 * Runs `action` on a field's payload. When the field was cut short, whatever goes wrong inside is a
 * consequence of the cut, so it is reported as the truncation it is.
 */
export function descend(field: WireField, action: () => void): void {
  if (!field.cutShort) {
    action();
    return;
  }
  try {
    action();
  } catch (error) {
    if (!(error instanceof ProtoProblem)) throw error;
    throw new ProtoProblem("truncated", `${field.cutShort} (${error.message})`);
  }
}
