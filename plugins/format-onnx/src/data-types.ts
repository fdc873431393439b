import { dataByteLength, elementCount, type TensorDType } from "@modelaudit/core";

/** TensorProto.DataType values from the ONNX specification (onnx.proto, IR.md). */
const DATA_TYPE_NAMES: readonly string[] = [
  "UNDEFINED",
  "FLOAT",
  "UINT8",
  "INT8",
  "UINT16",
  "INT16",
  "INT32",
  "INT64",
  "STRING",
  "BOOL",
  "FLOAT16",
  "DOUBLE",
  "UINT32",
  "UINT64",
  "COMPLEX64",
  "COMPLEX128",
  "BFLOAT16",
  "FLOAT8E4M3FN",
  "FLOAT8E4M3FNUZ",
  "FLOAT8E5M2",
  "FLOAT8E5M2FNUZ",
  "UINT4",
  "INT4",
  "FLOAT4E2M1",
  "FLOAT8E8M0",
];

export function dataTypeName(value: number | undefined): string {
  if (value === undefined) return "UNDEFINED";
  return DATA_TYPE_NAMES[value] ?? `data-type-${value}`;
}

/** TensorProto.DataLocation.EXTERNAL. */
export const DATA_LOCATION_EXTERNAL = 1;

/**
 * TensorProto.DataType in core's vocabulary. FLOAT8E4M3FN is the OCP E4M3 (no infinities) that
 * core calls f8_e4m3; the 4-bit types, FLOAT8E8M0 and STRING have no core name: opaque.
 */
const TENSOR_DTYPES: readonly TensorDType[] = [
  "opaque", // UNDEFINED
  "f32",
  "u8",
  "i8",
  "u16",
  "i16",
  "i32",
  "i64",
  "opaque", // STRING
  "bool",
  "f16",
  "f64",
  "u32",
  "u64",
  "c64",
  "c128",
  "bf16",
  "f8_e4m3",
  "f8_e4m3fnuz",
  "f8_e5m2",
  "f8_e5m2fnuz",
];

export function tensorDType(value: number | undefined): TensorDType {
  return value === undefined ? "opaque" : (TENSOR_DTYPES[value] ?? "opaque");
}

/** Packed sub-byte types (UINT4, INT4, FLOAT4E2M1): two elements a byte in raw_data, low nibble first. */
const NIBBLE_TYPES = new Set([21, 22, 23]);
/** FLOAT8E8M0: one byte an element, no core name. */
const OPAQUE_BYTE_TYPES = new Set([24]);

/**
 * Bytes raw_data holds for a tensor of this type and shape, as onnx's numpy_helper reads it;
 * null when the shape is invalid or the type keeps no fixed-width elements (STRING, unknown).
 */
export function rawByteLength(dataType: number | undefined, shape: readonly number[]): number | null {
  const dtype = tensorDType(dataType);
  if (dtype !== "opaque") return dataByteLength(dtype, shape);
  const count = elementCount(shape);
  if (count === null || dataType === undefined) return null;
  if (NIBBLE_TYPES.has(dataType)) return Math.ceil(count / 2);
  if (OPAQUE_BYTE_TYPES.has(dataType)) return count;
  return null;
}
