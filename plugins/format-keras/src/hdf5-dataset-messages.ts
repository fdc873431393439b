import type { ByteOrder, TensorDType } from "@modelaudit/core";
import { Hdf5FormatError, type HeaderMessage, MESSAGE, readLength, readUnsigned } from "./hdf5-object-header.js";

/**
 * The header messages that say what a dataset's elements are and where they live (the file format
 * specification, section IV.A.2): datatype, dataspace, data layout, filter pipeline, fill value.
 */

export interface Hdf5Type {
  dtype: TensorDType;
  /** HDF5's own spelling, `H5T_IEEE_F32LE`, for messages. */
  formatDtype: string;
  byteOrder: ByteOrder;
  /** Bytes per element as stored. */
  size: number;
}

export type Hdf5Layout =
  | { kind: "compact"; offset: number; size: number }
  | { kind: "contiguous"; address: number | null; size: number }
  | {
      kind: "chunked";
      /** Chunk dimensions, without the trailing element-size dimension the message carries. */
      chunk: number[];
      index: ChunkIndex;
    }
  | { kind: "virtual" };

export type ChunkIndex =
  | { type: "btree-v1"; address: number | null }
  | { type: "single"; address: number | null; filteredSize: number | null; filterMask: number }
  | { type: "implicit"; address: number | null }
  | { type: "other"; name: string };

export interface Hdf5Filter {
  id: number;
  name: string;
  optional: boolean;
  values: number[];
}

const CLASS_NAMES = [
  "H5T_INTEGER",
  "H5T_FLOAT",
  "H5T_TIME",
  "H5T_STRING",
  "H5T_BITFIELD",
  "H5T_OPAQUE",
  "H5T_COMPOUND",
  "H5T_REFERENCE",
  "H5T_ENUM",
  "H5T_VLEN",
  "H5T_ARRAY",
];

const INTEGERS: Record<number, [TensorDType, TensorDType]> = {
  1: ["u8", "i8"],
  2: ["u16", "i16"],
  4: ["u32", "i32"],
  8: ["u64", "i64"],
};

/** IEEE layouts by [size, exponent bits, mantissa bits]; bfloat16 is a 2-byte float with an 8-bit exponent. */
const FLOATS: Record<string, [TensorDType, string]> = {
  "2,5,10": ["f16", "H5T_IEEE_F16"],
  "2,8,7": ["bf16", "H5T_BFLOAT16"],
  "4,8,23": ["f32", "H5T_IEEE_F32"],
  "8,11,52": ["f64", "H5T_IEEE_F64"],
};

function opaque(description: string, size: number): Hdf5Type {
  return { dtype: "opaque", formatDtype: description, byteOrder: "little", size };
}

/** The datatype message at `at` of `body`; `consumed` says how many bytes it took (enums nest one). */
function parseType(body: Uint8Array, at: number, depth = 0): { type: Hdf5Type; consumed: number } {
  if (at + 8 > body.length) throw new Hdf5FormatError("datatype message is cut short");
  // An enum's base type is a datatype too; a chain of nested enums is bounded.
  if (depth > 4) throw new Hdf5FormatError("enum types nested more than 4 deep", "limit-exceeded");
  const typeClass = body[at]! & 0x0f;
  const version = body[at]! >> 4;
  const bits = body[at + 1]! | (body[at + 2]! << 8) | (body[at + 3]! << 16);
  const size = readLength(body, at + 4, 4);
  const order: ByteOrder = bits & 0x01 ? "big" : "little";
  const suffix = order === "big" ? "BE" : "LE";
  if (size === 0) throw new Hdf5FormatError("datatype of size 0");
  if (typeClass === 0) {
    const signed = (bits & 0x08) !== 0;
    const offset = readLength(body, at + 8, 2);
    const precision = readLength(body, at + 10, 2);
    const name = `H5T_STD_${signed ? "I" : "U"}${size * 8}${suffix}`;
    const pair = INTEGERS[size];
    const consumed = 12;
    if (!pair || offset !== 0 || precision !== size * 8) {
      return { type: opaque(`${name}(offset=${offset},precision=${precision})`, size), consumed };
    }
    return {
      type: { dtype: pair[signed ? 1 : 0], formatDtype: name, byteOrder: size === 1 ? "little" : order, size },
      consumed,
    };
  }
  if (typeClass === 1) {
    // Bit 6 with bit 0 is VAX order: neither little nor big.
    const vax = (bits & 0x40) !== 0;
    const exponentBits = body[at + 8 + 5];
    const mantissaBits = body[at + 8 + 7];
    if (exponentBits === undefined || mantissaBits === undefined) throw new Hdf5FormatError("float datatype cut short");
    const known = FLOATS[`${size},${exponentBits},${mantissaBits}`];
    const consumed = 20;
    if (!known || vax)
      return {
        type: opaque(
          `H5T_FLOAT(size=${size},exponent=${exponentBits},mantissa=${mantissaBits}${vax ? ",VAX" : ""})`,
          size,
        ),
        consumed,
      };
    return { type: { dtype: known[0], formatDtype: `${known[1]}${suffix}`, byteOrder: order, size }, consumed };
  }
  if (typeClass === 8) {
    const members = bits & 0xffff;
    const base = parseType(body, at + 8, depth + 1);
    let cursor = at + 8 + base.consumed;
    const names: string[] = [];
    for (let index = 0; index < members; index++) {
      const end = body.indexOf(0, cursor);
      if (end === -1) throw new Hdf5FormatError("enum member name is not terminated");
      names.push(new TextDecoder("latin1").decode(body.subarray(cursor, end)));
      // Versions 1 and 2 pad each name to a multiple of 8 bytes, the terminator included.
      cursor = version >= 3 ? end + 1 : cursor + Math.ceil((end - cursor + 1) / 8) * 8;
    }
    const values: number[] = [];
    for (let index = 0; index < members; index++) {
      if (cursor + base.type.size > body.length) throw new Hdf5FormatError("enum member values are cut short");
      values.push(base.type.size <= 6 ? (readUnsigned(body, cursor, base.type.size) ?? -1) : -1);
      cursor += base.type.size;
    }
    const consumed = cursor - at;
    // h5py stores numpy bool as an enum of int8 with FALSE=0 and TRUE=1.
    const isBool =
      base.type.size === 1 &&
      (base.type.dtype === "i8" || base.type.dtype === "u8") &&
      members === 2 &&
      names[0] === "FALSE" &&
      names[1] === "TRUE" &&
      values[0] === 0 &&
      values[1] === 1;
    const name = `H5T_ENUM(${base.type.formatDtype}){${names.slice(0, 8).join(",")}${members > 8 ? ",…" : ""}}`;
    return {
      type: isBool ? { dtype: "bool", formatDtype: name, byteOrder: "little", size: 1 } : opaque(name, size),
      consumed,
    };
  }
  // Strings, compounds, references, variable-length and array types: the bytes, not numbers.
  return { type: opaque(`${CLASS_NAMES[typeClass] ?? `H5T_CLASS_${typeClass}`}(size=${size})`, size), consumed: 8 };
}

export function parseDatatype(message: HeaderMessage): Hdf5Type {
  if (message.flags & 0x02) throw new Hdf5FormatError("the datatype is a shared (committed) datatype", "unsupported");
  return parseType(message.body, 0).type;
}

/** The current dimensions; [] for a scalar, null for a null dataspace (no elements at all). */
export function parseDataspace(message: HeaderMessage, lengthSize: number): number[] | null {
  const body = message.body;
  if (message.flags & 0x02) throw new Hdf5FormatError("the dataspace is a shared message", "unsupported");
  const version = body[0];
  const rank = body[1] ?? 0;
  let at: number;
  if (version === 1) at = 8;
  else if (version === 2) {
    if (body[3] === 2) return null;
    at = 4;
  } else throw new Hdf5FormatError(`dataspace message version ${version}`);
  if (rank > 32) throw new Hdf5FormatError(`dataspace of rank ${rank}`);
  const shape: number[] = [];
  for (let index = 0; index < rank; index++) shape.push(readLength(body, at + index * lengthSize, lengthSize));
  return shape;
}

export function parseLayout(message: HeaderMessage, offsetSize: number, lengthSize: number): Hdf5Layout {
  const body = message.body;
  const version = body[0];
  const layoutClass = body[1];
  if (version !== 3 && version !== 4)
    throw new Hdf5FormatError(`data layout message version ${version}`, "unsupported");
  if (layoutClass === 0) {
    const size = readLength(body, 2, 2);
    if (4 + size > body.length) throw new Hdf5FormatError("compact data runs past its layout message");
    return { kind: "compact", offset: message.offset + 4, size };
  }
  if (layoutClass === 1) {
    return {
      kind: "contiguous",
      address: readUnsigned(body, 2, offsetSize),
      size: readLength(body, 2 + offsetSize, lengthSize),
    };
  }
  if (layoutClass === 3) return { kind: "virtual" };
  if (layoutClass !== 2) throw new Hdf5FormatError(`data layout class ${layoutClass}`);
  if (version === 3) {
    const dimensionality = body[2] ?? 0;
    if (dimensionality < 2 || dimensionality > 33) throw new Hdf5FormatError(`chunk dimensionality ${dimensionality}`);
    const address = readUnsigned(body, 3, offsetSize);
    const dims: number[] = [];
    for (let index = 0; index < dimensionality; index++) dims.push(readLength(body, 3 + offsetSize + 4 * index, 4));
    return { kind: "chunked", chunk: dims.slice(0, -1), index: { type: "btree-v1", address } };
  }
  const flags = body[2]!;
  const dimensionality = body[3] ?? 0;
  const encoded = body[4] ?? 0;
  if (dimensionality < 2 || dimensionality > 33) throw new Hdf5FormatError(`chunk dimensionality ${dimensionality}`);
  if (encoded < 1 || encoded > 8) throw new Hdf5FormatError(`chunk dimensions encoded in ${encoded} bytes`);
  let at = 5;
  const dims: number[] = [];
  for (let index = 0; index < dimensionality; index++, at += encoded) dims.push(readLength(body, at, encoded));
  const chunk = dims.slice(0, -1);
  const indexType = body[at++];
  if (indexType === 1) {
    // Single chunk: with filters, the stored size and filter mask come first.
    const filtered = (flags & 0x02) !== 0;
    const filteredSize = filtered ? readLength(body, at, lengthSize) : null;
    const filterMask = filtered ? readLength(body, at + lengthSize, 4) : 0;
    const address = readUnsigned(body, at + (filtered ? lengthSize + 4 : 0), offsetSize);
    return { kind: "chunked", chunk, index: { type: "single", address, filteredSize, filterMask } };
  }
  if (indexType === 2)
    return { kind: "chunked", chunk, index: { type: "implicit", address: readUnsigned(body, at, offsetSize) } };
  const names: Record<number, string> = { 3: "fixed array", 4: "extensible array", 5: "version 2 B-tree" };
  return { kind: "chunked", chunk, index: { type: "other", name: names[indexType ?? 0] ?? `type ${indexType}` } };
}

export function parseFilters(message: HeaderMessage): Hdf5Filter[] {
  const body = message.body;
  const version = body[0];
  const count = body[1] ?? 0;
  if (version !== 1 && version !== 2) throw new Hdf5FormatError(`filter pipeline message version ${version}`);
  if (count > 32) throw new Hdf5FormatError(`${count} filters in a pipeline`);
  let at = version === 1 ? 8 : 2;
  const filters: Hdf5Filter[] = [];
  for (let index = 0; index < count; index++) {
    const id = readLength(body, at, 2);
    const hasName = version === 1 || id >= 256;
    const nameLength = hasName ? readLength(body, at + 2, 2) : 0;
    at += hasName ? 4 : 2;
    const flags = readLength(body, at, 2);
    const valueCount = readLength(body, at + 2, 2);
    at += 4;
    if (at + nameLength > body.length) throw new Hdf5FormatError("filter name runs past its message");
    const raw = body.subarray(at, at + nameLength);
    const end = raw.indexOf(0);
    const name = new TextDecoder("latin1").decode(end === -1 ? raw : raw.subarray(0, end));
    // Version 1 pads names to a multiple of 8 (the length already includes the padding).
    at += nameLength;
    const values: number[] = [];
    for (let value = 0; value < valueCount; value++, at += 4) values.push(readLength(body, at, 4));
    if (version === 1 && valueCount % 2 === 1) at += 4;
    filters.push({ id, name, optional: (flags & 0x01) !== 0, values });
  }
  return filters;
}

/** The fill value's bytes when the header defines one; null means zeros (libhdf5's default). */
export function parseFillValue(messages: readonly HeaderMessage[]): Uint8Array | null {
  const current = messages.find((message) => message.type === MESSAGE.fillValue);
  if (current) {
    const body = current.body;
    const version = body[0];
    if (version === 1 || version === 2) {
      if (body[3] !== 1) return null;
      const size = readLength(body, 4, 4);
      return size === 0 ? null : body.subarray(8, 8 + size);
    }
    if (version === 3) {
      if ((body[1]! & 0x20) === 0) return null;
      const size = readLength(body, 2, 4);
      return size === 0 ? null : body.subarray(6, 6 + size);
    }
    throw new Hdf5FormatError(`fill value message version ${version}`);
  }
  const old = messages.find((message) => message.type === MESSAGE.fillValueOld);
  if (!old) return null;
  const size = readLength(old.body, 0, 4);
  return size === 0 ? null : old.body.subarray(4, 4 + size);
}
