/**
 * Tensor dtypes this detector can read, by the names handlers use: safetensors/GGUF (`F32`), numpy
 * descr (`<f4`), ONNX/TFLite (`FLOAT`, `FLOAT32`), legacy torch storages (`FloatStorage`). Only
 * little-endian IEEE floats: quantized, integer, big-endian and untyped (`storage`) data are skipped.
 */
export type FloatKind = "float32" | "float16" | "bfloat16" | "float64";

export interface FloatFormat {
  kind: FloatKind;
  /** Bytes per value. */
  size: 2 | 4 | 8;
  /** Mantissa bits: the bit-plane payloads hide in starts at bit 0. */
  mantissaBits: number;
}

const FORMATS: Record<FloatKind, FloatFormat> = {
  float32: { kind: "float32", size: 4, mantissaBits: 23 },
  float16: { kind: "float16", size: 2, mantissaBits: 10 },
  bfloat16: { kind: "bfloat16", size: 2, mantissaBits: 7 },
  float64: { kind: "float64", size: 8, mantissaBits: 52 },
};

const NAMES: Record<string, FloatKind> = {
  f32: "float32",
  float: "float32",
  float32: "float32",
  "<f4": "float32",
  floatstorage: "float32",
  f16: "float16",
  float16: "float16",
  half: "float16",
  "<f2": "float16",
  halfstorage: "float16",
  bf16: "bfloat16",
  bfloat16: "bfloat16",
  bfloat16storage: "bfloat16",
  f64: "float64",
  float64: "float64",
  double: "float64",
  "<f8": "float64",
  doublestorage: "float64",
};

/** The float layout of a dtype name, or null when this detector does not read it. */
export function floatFormatOf(dtype: string): FloatFormat | null {
  const kind = NAMES[dtype.trim().toLowerCase()];
  return kind === undefined ? null : FORMATS[kind];
}

/** Typed-array views assume a little-endian host (every platform Node ships for in practice). */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
