import type { TensorDType } from "@modelaudit/core";

/**
 * Element widths in bits of every dtype the reference implementation (huggingface/safetensors,
 * `Dtype::bitsize` in safetensors/src/tensor.rs) accepts. Sub-byte types (F4, F6_*) must fill
 * whole bytes: the loader rejects a tensor whose bit length is not a multiple of 8.
 */
export const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/**
 * safetensors' spelling in core's vocabulary. F8_E4M3 is PyTorch's float8_e4m3fn (the only E4M3 the
 * writer emits). Sub-byte floats and the E8M0 scale type have no core name: their bytes are opaque.
 */
const TENSOR_DTYPES: Readonly<Record<string, TensorDType>> = {
  BOOL: "bool",
  F4: "opaque",
  F6_E2M3: "opaque",
  F6_E3M2: "opaque",
  U8: "u8",
  I8: "i8",
  F8_E5M2: "f8_e5m2",
  F8_E4M3: "f8_e4m3",
  F8_E8M0: "opaque",
  F8_E4M3FNUZ: "f8_e4m3fnuz",
  F8_E5M2FNUZ: "f8_e5m2fnuz",
  I16: "i16",
  U16: "u16",
  F16: "f16",
  BF16: "bf16",
  I32: "i32",
  U32: "u32",
  F32: "f32",
  C64: "c64",
  F64: "f64",
  I64: "i64",
  U64: "u64",
};

/** The core dtype of a safetensors dtype this package accepts (see `DTYPE_BITS`). */
export function tensorDType(dtype: string): TensorDType {
  return Object.hasOwn(TENSOR_DTYPES, dtype) ? (TENSOR_DTYPES[dtype] as TensorDType) : "opaque";
}

export function dtypeBits(dtype: string): number | undefined {
  return Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : undefined;
}
