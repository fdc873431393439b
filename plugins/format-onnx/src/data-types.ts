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
