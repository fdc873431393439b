/**
 * The custom options of a Flex (TensorFlow select) operator, decoded as TensorFlow's Flex delegate
 * decodes them (tensorflow/lite/delegates/flex/kernel.cc): the FlexBuffers root is a vector of two
 * elements, the name of the TensorFlow op the delegate runs (`EagerOperation::Reset(v[0])`) and a
 * serialized NodeDef whose attributes it sets on that op. The delegate checks only that custom_code
 * starts with "Flex"; the rest of custom_code is never compared with what runs.
 *
 * Every length and offset is checked against the bytes; nothing recurses.
 */

/** FlexBuffers types (flatbuffers/flexbuffers.h) this reader tells apart. */
const FBT_KEY = 4;
const FBT_STRING = 5;
const FBT_MAP = 9;
const FBT_VECTOR = 10;
const FBT_BLOB = 25;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "null",
  1: "int",
  2: "uint",
  3: "float",
  4: "key",
  5: "string",
  6: "indirect int",
  7: "indirect uint",
  8: "indirect float",
  9: "map",
  10: "vector",
  25: "blob",
  26: "bool",
};
const typeName = (type: number) => TYPE_NAMES[type] ?? (type >= 11 && type <= 24 ? "typed vector" : `type ${type}`);

/** Longest op name, NodeDef name or attribute string kept (TensorFlow op names are short). */
const MAX_NAME = 4 * 1024;
/** NodeDef fields read before giving up: a real NodeDef has a handful. */
const MAX_FIELDS = 4096;
const MAX_ATTRIBUTES = 256;

export class FlexOptionsError extends Error {}

export interface FlexNodeDef {
  /** NodeDef.name (field 1), the last one written. */
  name?: string;
  /** Every NodeDef.op (field 2) in the order written: protobuf keeps the last, a first-wins reader the first. */
  ops: string[];
  /** Scalar attributes of the attr map (field 5): strings, integers, floats, booleans, dtypes. */
  attributes: Record<string, string | number | boolean>;
}

export interface FlexOptions {
  /** v[0]: the op the delegate runs. */
  op: string;
  nodeDef: FlexNodeDef;
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array) => decoder.decode(bytes.subarray(0, MAX_NAME));

/** Unsigned little-endian integer of `width` (1, 2, 4 or 8) bytes at `at`, checked against the bytes. */
function readUint(bytes: Uint8Array, at: number, width: number, what: string): number {
  if (at < 0 || at + width > bytes.length) throw new FlexOptionsError(`${what} lies outside the options`);
  let value = 0;
  for (let index = width - 1; index >= 0; index--) value = value * 256 + bytes[at + index]!;
  if (!Number.isSafeInteger(value)) throw new FlexOptionsError(`${what} is too large`);
  return value;
}

/** FlexBuffers offsets point backwards from where they are stored. */
function indirect(bytes: Uint8Array, at: number, width: number, what: string): number {
  const target = at - readUint(bytes, at, width, what);
  if (target < 0) throw new FlexOptionsError(`${what} points before the start of the options`);
  return target;
}

/** The string or blob (length-prefixed) or key (NUL-terminated) an element refers to. */
function element(bytes: Uint8Array, at: number, parentWidth: number, packed: number, what: string): Uint8Array {
  const type = packed >> 2;
  const width = 1 << (packed & 3);
  const target = indirect(bytes, at, parentWidth, what);
  if (type === FBT_STRING || type === FBT_BLOB) {
    const length = readUint(bytes, target - width, width, `${what} length`);
    if (target + length > bytes.length) {
      throw new FlexOptionsError(`${what} (${length} bytes) runs past the end of the options`);
    }
    return bytes.subarray(target, target + length);
  }
  if (type === FBT_KEY) {
    const end = bytes.indexOf(0, target);
    if (end < 0) throw new FlexOptionsError(`${what} is not NUL-terminated`);
    return bytes.subarray(target, end);
  }
  throw new FlexOptionsError(`${what} is a ${typeName(type)}, not a string`);
}

/** Decodes a Flex operator's custom options; throws FlexOptionsError when TensorFlow could not read them. */
export function decodeFlexOptions(bytes: Uint8Array): FlexOptions {
  if (bytes.length < 3) throw new FlexOptionsError(`${bytes.length} bytes are too short for a FlexBuffer`);
  // The root: the last byte is its byte width, the one before it its packed type.
  const rootWidth = bytes[bytes.length - 1]!;
  if (rootWidth !== 1 && rootWidth !== 2 && rootWidth !== 4 && rootWidth !== 8) {
    throw new FlexOptionsError(`root byte width ${rootWidth} is not 1, 2, 4 or 8`);
  }
  const rootPacked = bytes[bytes.length - 2]!;
  const rootType = rootPacked >> 2;
  // flexbuffers' AsVector() reads a map as the vector of its values.
  if (rootType !== FBT_VECTOR && rootType !== FBT_MAP) {
    throw new FlexOptionsError(`root is a ${typeName(rootType)}, not a vector`);
  }
  const width = 1 << (rootPacked & 3);
  const vector = indirect(bytes, bytes.length - 2 - rootWidth, rootWidth, "root offset");
  const size = readUint(bytes, vector - width, width, "vector length");
  if (size !== 2) throw new FlexOptionsError(`root vector holds ${size} elements, not 2 (op name, NodeDef)`);
  const types = vector + size * width;
  if (types + size > bytes.length) throw new FlexOptionsError("root vector runs past the end of the options");
  const op = text(element(bytes, vector, width, bytes[types]!, "element 0 (op name)"));
  if (op === "") throw new FlexOptionsError("element 0 names no op");
  const nodeDef = decodeNodeDef(element(bytes, vector + width, width, bytes[types + 1]!, "element 1 (NodeDef)"));
  return { op, nodeDef };
}

/** A protobuf reader over one message's bytes; no recursion (the attr map is read one level down, by hand). */
class ProtoReader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  varint(what: string): number {
    let value = 0;
    let scale = 1;
    for (let count = 0; count < 10; count++) {
      if (this.position >= this.bytes.length) throw new FlexOptionsError(`${what}: varint runs past the end`);
      const byte = this.bytes[this.position++]!;
      // Past 2^53 precision is lost; only tags, lengths and small integers are read exactly.
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
    throw new FlexOptionsError(`${what}: varint longer than 10 bytes`);
  }

  /** The payload of a length-delimited field. */
  bytesField(what: string): Uint8Array {
    const length = this.varint(what);
    if (length > this.bytes.length - this.position) {
      throw new FlexOptionsError(`${what}: ${length} bytes run past the end of the NodeDef`);
    }
    const value = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return value;
  }

  fixed32(what: string): number {
    if (this.position + 4 > this.bytes.length) throw new FlexOptionsError(`${what}: fixed32 runs past the end`);
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.position, 4).getFloat32(0, true);
    this.position += 4;
    return value;
  }

  /** Skips a field the caller does not read; groups (wire types 3, 4) are refused. */
  skip(wireType: number, what: string): void {
    if (wireType === 0) this.varint(what);
    else if (wireType === 2) this.bytesField(what);
    else if (wireType === 1 || wireType === 5) {
      const length = wireType === 1 ? 8 : 4;
      if (this.position + length > this.bytes.length) throw new FlexOptionsError(`${what}: field runs past the end`);
      this.position += length;
    } else throw new FlexOptionsError(`${what}: wire type ${wireType} is not read`);
  }

  /** Every (field number, wire type) in order, bounded. */
  *fields(what: string): Generator<[number, number]> {
    for (let count = 0; !this.done; count++) {
      if (count >= MAX_FIELDS) throw new FlexOptionsError(`${what} has more than ${MAX_FIELDS} fields`);
      const tag = this.varint(what);
      const field = Math.floor(tag / 8);
      if (field === 0) throw new FlexOptionsError(`${what}: field number 0`);
      yield [field, tag % 8];
    }
  }
}

/** NodeDef: name = 1, op = 2, input = 3, device = 4, attr = 5 (map<string, AttrValue>). */
function decodeNodeDef(bytes: Uint8Array): FlexNodeDef {
  const reader = new ProtoReader(bytes);
  const nodeDef: FlexNodeDef = { ops: [], attributes: {} };
  let attributeCount = 0;
  for (const [field, wireType] of reader.fields("NodeDef")) {
    if (wireType === 2 && field === 1) nodeDef.name = text(reader.bytesField("NodeDef.name"));
    else if (wireType === 2 && field === 2) nodeDef.ops.push(text(reader.bytesField("NodeDef.op")));
    else if (wireType === 2 && field === 5) {
      const entry = reader.bytesField("NodeDef.attr");
      if (attributeCount++ < MAX_ATTRIBUTES) readAttribute(entry, nodeDef.attributes);
    } else reader.skip(wireType, "NodeDef");
  }
  return nodeDef;
}

/** One attr map entry (key = 1, value = 2); the value's scalars: s = 2, i = 3, f = 4, b = 5, type = 6. */
function readAttribute(bytes: Uint8Array, into: Record<string, string | number | boolean>): void {
  const entry = new ProtoReader(bytes);
  let key = "";
  let value: Uint8Array | undefined;
  for (const [field, wireType] of entry.fields("NodeDef.attr entry")) {
    if (wireType === 2 && field === 1) key = text(entry.bytesField("attr key"));
    else if (wireType === 2 && field === 2) value = entry.bytesField("attr value");
    else entry.skip(wireType, "NodeDef.attr entry");
  }
  if (!value) return;
  const reader = new ProtoReader(value);
  for (const [field, wireType] of reader.fields(`attr ${key}`)) {
    if (wireType === 2 && field === 2) into[key] = text(reader.bytesField(`attr ${key}`));
    else if (wireType === 0 && (field === 3 || field === 6)) into[key] = reader.varint(`attr ${key}`);
    else if (wireType === 0 && field === 5) into[key] = reader.varint(`attr ${key}`) !== 0;
    else if (wireType === 5 && field === 4) into[key] = reader.fixed32(`attr ${key}`);
    else reader.skip(wireType, `attr ${key}`);
  }
}
