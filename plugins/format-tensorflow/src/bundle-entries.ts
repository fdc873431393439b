import type { ByteOrder, TensorDType } from "@modelaudit/core";
import { ProtoProblem, readField, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "./wire-reader.js";

/**
 * The two messages of a tensor bundle index (tensorflow/core/protobuf/tensor_bundle.proto), read
 * field by field from the wire: `BundleHeaderProto` under the empty key, one `BundleEntryProto` per
 * tensor under its checkpoint key.
 */

export interface BundleHeader {
  numShards: number;
  byteOrder: ByteOrder;
}

export interface BundleEntry {
  dtype: number;
  shape: number[];
  shardId: number;
  offset: number;
  size: number;
  /** A partitioned variable's full entry: its bytes are in the slice entries, not here. */
  sliced: boolean;
}

/** Ranks beyond this are refused (TensorFlow's own limit is 254). */
const MAX_RANK = 64;

/** Varint fields and submessages of [start, end); anything else is skipped as an unknown field. */
function* wireFields(bytes: Uint8Array, start: number, end: number) {
  let position = start;
  while (position < end) {
    const field = readField(bytes, position, end);
    if (!field) throw new ProtoProblem("truncated", `message ends inside a field at offset ${position}`);
    yield field;
    position = field.end;
  }
}

/** int32/int64 fields arrive as 64-bit two's complement: anything at or above 2**63 is negative. */
function nonNegative(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new ProtoProblem("malformed", `${what} ${value} is not a size`);
  return value;
}

export function decodeHeader(bytes: Uint8Array): BundleHeader {
  let numShards = 0;
  let endianness = 0;
  for (const field of wireFields(bytes, 0, bytes.length)) {
    if (field.number === 1 && field.wireType === WIRE_VARINT) numShards = field.value;
    else if (field.number === 2 && field.wireType === WIRE_VARINT) endianness = field.value;
  }
  if (endianness > 1) throw new ProtoProblem("malformed", `the header's endianness is ${endianness}`);
  return { numShards: nonNegative(numShards, "the header's shard count"), byteOrder: endianness ? "big" : "little" };
}

function decodeShape(bytes: Uint8Array, start: number, end: number, shape: number[] = []): number[] {
  for (const field of wireFields(bytes, start, end)) {
    if (field.number === 3 && field.wireType === WIRE_VARINT && field.value !== 0) {
      throw new ProtoProblem("malformed", "the shape is of unknown rank");
    }
    if (field.number !== 2 || field.wireType !== WIRE_LENGTH_DELIMITED) continue;
    if (shape.length >= MAX_RANK) throw new ProtoProblem("limit-exceeded", `the shape has more than ${MAX_RANK} dims`);
    let size = 0;
    for (const inner of wireFields(bytes, field.start, field.end)) {
      if (inner.number === 1 && inner.wireType === WIRE_VARINT) size = inner.value;
    }
    shape.push(nonNegative(size, "a dim of"));
  }
  return shape;
}

export function decodeEntry(bytes: Uint8Array): BundleEntry {
  const entry: BundleEntry = { dtype: 0, shape: [], shardId: 0, offset: 0, size: 0, sliced: false };
  for (const field of wireFields(bytes, 0, bytes.length)) {
    if (field.wireType === WIRE_VARINT) {
      if (field.number === 1) entry.dtype = field.value;
      else if (field.number === 3) entry.shardId = nonNegative(field.value, "the shard id");
      else if (field.number === 4) entry.offset = nonNegative(field.value, "the offset");
      else if (field.number === 5) entry.size = nonNegative(field.value, "the size");
    } else if (field.wireType === WIRE_LENGTH_DELIMITED) {
      // protobuf merges every occurrence of a message field: the dims of a repeated shape add up.
      if (field.number === 2) entry.shape = decodeShape(bytes, field.start, field.end, entry.shape);
      else if (field.number === 7) entry.sliced = true;
    }
    // crc32c (6, fixed32) is not checked: it covers the data shard, which the engine reads.
  }
  return entry;
}

/**
 * TensorFlow DataType (types.proto) to core's vocabulary, by enum value. Quantized types hold plain
 * integers. Strings, variants and resources are serialized objects (`null`: no numbers to read);
 * 4- and 2-bit types and E4M3B11FNUZ have no name in the vocabulary (`opaque`).
 */
const DTYPES: ReadonlyMap<number, TensorDType | null> = new Map<number, TensorDType | null>([
  [1, "f32"],
  [2, "f64"],
  [3, "i32"],
  [4, "u8"],
  [5, "i16"],
  [6, "i8"],
  [7, null],
  [8, "c64"],
  [9, "i64"],
  [10, "bool"],
  [11, "i8"],
  [12, "u8"],
  [13, "i32"],
  [14, "bf16"],
  [15, "i16"],
  [16, "u16"],
  [17, "u16"],
  [18, "c128"],
  [19, "f16"],
  [20, null],
  [21, null],
  [22, "u32"],
  [23, "u64"],
  [24, "f8_e5m2"],
  [25, "f8_e4m3"],
  [26, "f8_e4m3fnuz"],
  [27, "opaque"],
  [28, "f8_e5m2fnuz"],
  [29, "opaque"],
  [30, "opaque"],
  [31, "opaque"],
  [32, "opaque"],
]);

/** The dtype in core's vocabulary; `null` for serialized objects; undefined for a value DataType does not have. */
export function bundleDType(value: number): TensorDType | null | undefined {
  return DTYPES.get(value);
}
