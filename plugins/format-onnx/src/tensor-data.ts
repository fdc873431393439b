import { BufferSource, elementCount, type Source } from "@modelaudit/core";
import { rawByteLength } from "./data-types.js";
import type { Payload, Tensor } from "./model-types.js";

/**
 * Where an ONNX tensor's element bytes are, as onnx's numpy_helper.to_array finds them: raw_data when
 * present (its bytes are the elements, little-endian), else the typed field its data_type uses.
 */
export type DataPlan =
  /** The bytes lie in the model file as they are: raw_data, or one packed run of float_data/double_data. */
  | { kind: "in-place"; offset: number; length: number }
  /** Typed values to read and re-encode (varints, or fixed-width values split over several runs). */
  | { kind: "typed"; field: TypedField; segments: Payload[]; encoding: Encoding; width: number; values: number }
  /** No element bytes: a string tensor, an external one (resolved elsewhere), or an empty tensor. */
  | { kind: "none" }
  /** The declared data cannot be the tensor's: a loader refuses it. */
  | { kind: "problem"; message: string };

type TypedField = "float_data" | "double_data" | "int32_data" | "int64_data" | "uint64_data";
type Encoding = "fixed" | "varint";

interface Storage {
  field: TypedField;
  encoding: Encoding;
  /** Bytes one stored value becomes. */
  width: number;
  /** Stored values per element count: 2 for complex pairs, 0.5 for packed 4-bit pairs. */
  perElement: number;
}

const STRING = 8;
const EXTERNAL = 1;

/** The typed field each data_type keeps its values in (onnx.proto, TensorProto comments). */
const STORAGE: Readonly<Record<number, Storage>> = {
  1: { field: "float_data", encoding: "fixed", width: 4, perElement: 1 },
  14: { field: "float_data", encoding: "fixed", width: 4, perElement: 2 },
  11: { field: "double_data", encoding: "fixed", width: 8, perElement: 1 },
  15: { field: "double_data", encoding: "fixed", width: 8, perElement: 2 },
  7: { field: "int64_data", encoding: "varint", width: 8, perElement: 1 },
  12: { field: "uint64_data", encoding: "varint", width: 4, perElement: 1 },
  13: { field: "uint64_data", encoding: "varint", width: 8, perElement: 1 },
  6: { field: "int32_data", encoding: "varint", width: 4, perElement: 1 },
  5: { field: "int32_data", encoding: "varint", width: 2, perElement: 1 },
  4: { field: "int32_data", encoding: "varint", width: 2, perElement: 1 },
  3: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  2: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  9: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  // FLOAT16 and BFLOAT16 values are their 16-bit patterns, one varint each.
  10: { field: "int32_data", encoding: "varint", width: 2, perElement: 1 },
  16: { field: "int32_data", encoding: "varint", width: 2, perElement: 1 },
  17: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  18: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  19: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  20: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
  // UINT4, INT4, FLOAT4E2M1: each int32 value holds one byte of two packed elements.
  21: { field: "int32_data", encoding: "varint", width: 1, perElement: 0.5 },
  22: { field: "int32_data", encoding: "varint", width: 1, perElement: 0.5 },
  23: { field: "int32_data", encoding: "varint", width: 1, perElement: 0.5 },
  24: { field: "int32_data", encoding: "varint", width: 1, perElement: 1 },
};

export function planTensorData(tensor: Tensor, shape: readonly number[], name: string): DataPlan {
  const dataType = tensor.data_type;
  if (tensor.data_location === EXTERNAL || dataType === STRING) return { kind: "none" };
  const count = elementCount(shape);
  if (count === null)
    return { kind: "problem", message: `tensor ${name}: dims ${JSON.stringify(shape)} are not a size` };
  const storage = dataType === undefined ? undefined : STORAGE[dataType];
  if (tensor.raw_data) {
    const expected = rawByteLength(dataType, shape);
    if (expected === null) {
      return {
        kind: "problem",
        message: `tensor ${name}: raw_data of data type ${dataType ?? "UNDEFINED"} has no known size`,
      };
    }
    if (expected !== tensor.raw_data.length) {
      return {
        kind: "problem",
        message: `tensor ${name}: dims ${JSON.stringify(shape)} need ${expected} bytes but raw_data holds ${tensor.raw_data.length}`,
      };
    }
    return { kind: "in-place", offset: tensor.raw_data.offset, length: tensor.raw_data.length };
  }
  if (!storage) {
    if (count === 0) return { kind: "none" };
    return {
      kind: "problem",
      message: `tensor ${name}: data type ${dataType ?? "UNDEFINED"} has no typed field to hold its values`,
    };
  }
  const segments = tensor[storage.field] ?? [];
  const values = Math.ceil(count * storage.perElement);
  if (values === 0 && segments.length === 0) return { kind: "none" };
  if (storage.encoding === "fixed") {
    const bytes = segments.reduce((total, segment) => total + segment.length, 0);
    if (bytes !== values * storage.width) {
      return {
        kind: "problem",
        message: `tensor ${name}: dims ${JSON.stringify(shape)} need ${values * storage.width} bytes of ${storage.field} but it holds ${bytes}`,
      };
    }
    // A packed float or double run is the little-endian element bytes already.
    const [only] = segments;
    if (segments.length === 1 && only) return { kind: "in-place", offset: only.offset, length: only.length };
  }
  return { kind: "typed", field: storage.field, segments, encoding: storage.encoding, width: storage.width, values };
}

/**
 * Reads a typed field's runs and returns the element bytes a loader builds from them: fixed-width
 * runs joined, varints cut to the element width (two's complement, little-endian). Throws a
 * TypedDataError when the values do not match the plan; `limit` bounds the bytes held in memory.
 */
export async function readTypedData(
  source: Source,
  plan: Extract<DataPlan, { kind: "typed" }>,
  limit: number,
  name: string,
): Promise<Source> {
  const stored = plan.segments.reduce((total, segment) => total + segment.length, 0);
  const decoded = plan.values * plan.width;
  if (stored > limit || decoded > limit) {
    throw new TypedDataError(
      `tensor ${name}: ${plan.field} of ${stored} bytes is over the ${limit}-byte bound`,
      "limit-exceeded",
    );
  }
  const packed = new Uint8Array(stored);
  let filled = 0;
  for (const segment of plan.segments) {
    const bytes = await source.read(segment.offset, segment.length);
    if (bytes.length !== segment.length) throw new TypedDataError(`tensor ${name}: ${plan.field} ends early`);
    packed.set(bytes, filled);
    filled += bytes.length;
  }
  if (plan.encoding === "fixed") return new BufferSource(name, packed);
  const out = new Uint8Array(decoded);
  const view = new DataView(out.buffer);
  let at = 0;
  let index = 0;
  while (at < packed.length) {
    if (index >= plan.values) {
      throw new TypedDataError(`tensor ${name}: ${plan.field} holds more than the ${plan.values} values its dims need`);
    }
    // The low 32 bits as a number and the whole value as a bigint: int32 negatives arrive sign-extended to 64 bits.
    let low = 0;
    let whole = 0n;
    let shift = 0;
    for (;;) {
      if (at >= packed.length || shift > 63)
        throw new TypedDataError(`tensor ${name}: ${plan.field} ends inside a varint`);
      const byte = packed[at++] as number;
      if (shift < 32) low |= (byte & 0x7f) << shift;
      if (plan.width === 8) whole |= BigInt(byte & 0x7f) << BigInt(shift);
      shift += 7;
      if (byte < 0x80) break;
    }
    const offset = index * plan.width;
    if (plan.width === 1) view.setUint8(offset, low & 0xff);
    else if (plan.width === 2) view.setUint16(offset, low & 0xffff, true);
    else if (plan.width === 4) view.setUint32(offset, low >>> 0, true);
    else view.setBigUint64(offset, BigInt.asUintN(64, whole), true);
    index++;
  }
  if (index !== plan.values) {
    throw new TypedDataError(`tensor ${name}: ${plan.field} holds ${index} values, its dims need ${plan.values}`);
  }
  return new BufferSource(name, out);
}

export class TypedDataError extends Error {
  constructor(
    message: string,
    readonly code: "malformed" | "limit-exceeded" = "malformed",
  ) {
    super(message);
    this.name = "TypedDataError";
  }
}
