/**
 * The closed vocabulary of tensor element types. Every format handler maps its own spelling
 * (`F32`, `<f4`, `FLOAT`, `FloatStorage`, GGML type 0) to one of these, so a detector that reads
 * tensors reads every format, and a format a detector does not know is never silently skipped.
 */

export const TENSOR_DTYPES = [
  "f64",
  "f32",
  "f16",
  "bf16",
  "f8_e4m3",
  "f8_e4m3fnuz",
  "f8_e5m2",
  "f8_e5m2fnuz",
  "i8",
  "u8",
  "i16",
  "u16",
  "i32",
  "u32",
  "i64",
  "u64",
  "bool",
  "c64",
  "c128",
  // GGML block-quantized types (llama.cpp's `enum ggml_type`).
  "q4_0",
  "q4_1",
  "q5_0",
  "q5_1",
  "q8_0",
  "q8_1",
  "q2_k",
  "q3_k",
  "q4_k",
  "q5_k",
  "q6_k",
  "q8_k",
  "iq2_xxs",
  "iq2_xs",
  "iq3_xxs",
  "iq1_s",
  "iq4_nl",
  "iq3_s",
  "iq2_s",
  "iq4_xs",
  "iq1_m",
  "tq1_0",
  "tq2_0",
  "mxfp4",
  /** A layout this vocabulary has no name for (a string tensor, a packed sub-byte type): bytes only. */
  "opaque",
] as const;

export type TensorDType = (typeof TENSOR_DTYPES)[number];

/** What the numbers are, so a detector can subscribe to a class rather than to every spelling. */
export type TensorClass = "float" | "integer" | "bool" | "complex" | "quantized" | "opaque";

export interface DTypeInfo {
  dtype: TensorDType;
  class: TensorClass;
  /** Elements per block: 1 for plain types, 32 or 256 for GGML quantized blocks. */
  blockElements: number;
  /** Bytes per block (bytes per element for plain types). */
  blockBytes: number;
}

const QK_K = 256;

function info(dtype: TensorDType, tensorClass: TensorClass, blockBytes: number, blockElements = 1): DTypeInfo {
  return { dtype, class: tensorClass, blockElements, blockBytes };
}

/** Block geometry from ggml (ggml/src/ggml-common.h) and gguf-py's GGML_QUANT_SIZES. */
const INFO: Readonly<Record<TensorDType, DTypeInfo>> = {
  f64: info("f64", "float", 8),
  f32: info("f32", "float", 4),
  f16: info("f16", "float", 2),
  bf16: info("bf16", "float", 2),
  f8_e4m3: info("f8_e4m3", "float", 1),
  f8_e4m3fnuz: info("f8_e4m3fnuz", "float", 1),
  f8_e5m2: info("f8_e5m2", "float", 1),
  f8_e5m2fnuz: info("f8_e5m2fnuz", "float", 1),
  i8: info("i8", "integer", 1),
  u8: info("u8", "integer", 1),
  i16: info("i16", "integer", 2),
  u16: info("u16", "integer", 2),
  i32: info("i32", "integer", 4),
  u32: info("u32", "integer", 4),
  i64: info("i64", "integer", 8),
  u64: info("u64", "integer", 8),
  bool: info("bool", "bool", 1),
  c64: info("c64", "complex", 8),
  c128: info("c128", "complex", 16),
  q4_0: info("q4_0", "quantized", 2 + 16, 32),
  q4_1: info("q4_1", "quantized", 2 + 2 + 16, 32),
  q5_0: info("q5_0", "quantized", 2 + 4 + 16, 32),
  q5_1: info("q5_1", "quantized", 2 + 2 + 4 + 16, 32),
  q8_0: info("q8_0", "quantized", 2 + 32, 32),
  // ggml's block_q8_1 is two halves (d, s) and 32 quants; gguf-py's size table says 40, the loader reads 36.
  q8_1: info("q8_1", "quantized", 2 + 2 + 32, 32),
  q2_k: info("q2_k", "quantized", 2 + 2 + QK_K / 16 + QK_K / 4, QK_K),
  q3_k: info("q3_k", "quantized", 2 + QK_K / 4 + QK_K / 8 + 12, QK_K),
  q4_k: info("q4_k", "quantized", 2 + 2 + QK_K / 2 + 12, QK_K),
  q5_k: info("q5_k", "quantized", 2 + 2 + QK_K / 2 + QK_K / 8 + 12, QK_K),
  q6_k: info("q6_k", "quantized", 2 + QK_K / 2 + QK_K / 4 + QK_K / 16, QK_K),
  q8_k: info("q8_k", "quantized", 4 + QK_K + QK_K / 8, QK_K),
  iq2_xxs: info("iq2_xxs", "quantized", 2 + QK_K / 4, QK_K),
  iq2_xs: info("iq2_xs", "quantized", 2 + QK_K / 4 + QK_K / 32, QK_K),
  iq3_xxs: info("iq3_xxs", "quantized", 2 + QK_K / 4 + QK_K / 8, QK_K),
  iq1_s: info("iq1_s", "quantized", 2 + QK_K / 8 + QK_K / 16, QK_K),
  iq4_nl: info("iq4_nl", "quantized", 2 + 16, 32),
  iq3_s: info("iq3_s", "quantized", 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4, QK_K),
  iq2_s: info("iq2_s", "quantized", 2 + QK_K / 4 + QK_K / 16, QK_K),
  iq4_xs: info("iq4_xs", "quantized", 2 + 2 + QK_K / 2 + QK_K / 64, QK_K),
  iq1_m: info("iq1_m", "quantized", QK_K / 8 + QK_K / 16 + QK_K / 32, QK_K),
  tq1_0: info("tq1_0", "quantized", 2 + 4 * 13, QK_K),
  tq2_0: info("tq2_0", "quantized", 2 + 64, QK_K),
  mxfp4: info("mxfp4", "quantized", 1 + 16, 32),
  opaque: info("opaque", "opaque", 1, 1),
};

export function dtypeInfo(dtype: TensorDType): DTypeInfo {
  return INFO[dtype];
}

export function isTensorDType(value: unknown): value is TensorDType {
  return typeof value === "string" && Object.hasOwn(INFO, value);
}

/** Elements in a tensor of this shape; null when a dimension is not a safe non-negative integer or the product overflows. */
export function elementCount(shape: readonly number[]): number | null {
  let count = 1;
  for (const dimension of shape) {
    if (!Number.isSafeInteger(dimension) || dimension < 0) return null;
    count *= dimension;
    if (!Number.isSafeInteger(count)) return null;
  }
  return count;
}

/**
 * Bytes a tensor of this dtype and shape occupies; null when the shape is invalid, the element count
 * is not a whole number of blocks, or the dtype is opaque.
 */
export function dataByteLength(dtype: TensorDType, shape: readonly number[]): number | null {
  const count = elementCount(shape);
  const geometry = INFO[dtype];
  if (count === null || geometry.class === "opaque" || count % geometry.blockElements !== 0) return null;
  const bytes = (count / geometry.blockElements) * geometry.blockBytes;
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** NumPy's dtype characters (kind + item size) in this vocabulary; NumPy, joblib and `.npz` share it. */
const NUMPY_KINDS: Readonly<Record<string, TensorDType>> = {
  f8: "f64",
  f4: "f32",
  f2: "f16",
  i1: "i8",
  u1: "u8",
  i2: "i16",
  u2: "u16",
  i4: "i32",
  u4: "u32",
  i8: "i64",
  u8: "u64",
  b1: "bool",
  c8: "c64",
  c16: "c128",
};

/**
 * A NumPy array-protocol type string (`<f4`, `>i8`, `|u1`, `?`) in this vocabulary, with its byte
 * order; `opaque` for strings, objects, datetimes and anything else.
 */
export function dtypeFromNumpy(descr: string): { dtype: TensorDType; byteOrder: ByteOrder } {
  const match = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr.trim());
  if (!match) return { dtype: "opaque", byteOrder: "little" };
  const order = match[1] === ">" ? "big" : "little";
  const kind = match[2] === "?" ? "b" : (match[2] as string);
  const size = match[2] === "?" ? "1" : (match[3] as string);
  const dtype = NUMPY_KINDS[`${kind}${size}`] ?? "opaque";
  return { dtype, byteOrder: dtypeInfo(dtype).blockBytes === 1 ? "little" : order };
}

export type ByteOrder = "little" | "big";
