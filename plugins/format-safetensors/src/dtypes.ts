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

export function dtypeBits(dtype: string): number | undefined {
  return Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : undefined;
}
