/** TensorFlow DataType enum values (types.proto) to their names; reference types are value + 100. */
const NAMES: readonly string[] = [
  "DT_INVALID",
  "DT_FLOAT",
  "DT_DOUBLE",
  "DT_INT32",
  "DT_UINT8",
  "DT_INT16",
  "DT_INT8",
  "DT_STRING",
  "DT_COMPLEX64",
  "DT_INT64",
  "DT_BOOL",
  "DT_QINT8",
  "DT_QUINT8",
  "DT_QINT32",
  "DT_BFLOAT16",
  "DT_QINT16",
  "DT_QUINT16",
  "DT_UINT16",
  "DT_COMPLEX128",
  "DT_HALF",
  "DT_RESOURCE",
  "DT_VARIANT",
  "DT_UINT32",
  "DT_UINT64",
  "DT_FLOAT8_E5M2",
  "DT_FLOAT8_E4M3FN",
  "DT_FLOAT8_E4M3FNUZ",
  "DT_FLOAT8_E4M3B11FNUZ",
  "DT_FLOAT8_E5M2FNUZ",
  "DT_INT4",
  "DT_UINT4",
  "DT_INT2",
  "DT_UINT2",
];

export const DT_STRING = 7;

export function dataTypeName(value: number): string {
  const reference = value > 100;
  const name = NAMES[reference ? value - 100 : value];
  if (name === undefined) return `DT_UNKNOWN_${value}`;
  return reference ? `${name}_REF` : name;
}

/** True for DT_STRING and its reference type. */
export function isStringType(value: number | undefined): boolean {
  return value === DT_STRING || value === DT_STRING + 100;
}
