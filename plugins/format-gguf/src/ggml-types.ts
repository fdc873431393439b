/**
 * ggml tensor types that GGUF files carry: id → name, elements per block, bytes per block.
 * From ggml's `enum ggml_type` (ggml/include/ggml.h) and gguf-py's `GGML_QUANT_SIZES`
 * (gguf-py/gguf/constants.py). Ids 4, 5 (Q4_2/Q4_3) and 31-33, 36-38 (repacked layouts) were
 * removed from GGUF files; ids above 40 differ between forks, so they are treated as unknown.
 */
export interface GgmlType {
  name: string;
  blockSize: number;
  typeSize: number;
}

const QK_K = 256;

const TYPES: Readonly<Record<number, GgmlType>> = {
  0: { name: "F32", blockSize: 1, typeSize: 4 },
  1: { name: "F16", blockSize: 1, typeSize: 2 },
  2: { name: "Q4_0", blockSize: 32, typeSize: 2 + 16 },
  3: { name: "Q4_1", blockSize: 32, typeSize: 2 + 2 + 16 },
  6: { name: "Q5_0", blockSize: 32, typeSize: 2 + 4 + 16 },
  7: { name: "Q5_1", blockSize: 32, typeSize: 2 + 2 + 4 + 16 },
  8: { name: "Q8_0", blockSize: 32, typeSize: 2 + 32 },
  9: { name: "Q8_1", blockSize: 32, typeSize: 4 + 4 + 32 },
  10: { name: "Q2_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 16 + QK_K / 4 },
  11: { name: "Q3_K", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + 12 },
  12: { name: "Q4_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + 12 },
  13: { name: "Q5_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 8 + 12 },
  14: { name: "Q6_K", blockSize: QK_K, typeSize: 2 + QK_K / 2 + QK_K / 4 + QK_K / 16 },
  15: { name: "Q8_K", blockSize: QK_K, typeSize: 4 + QK_K + QK_K / 8 },
  16: { name: "IQ2_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 },
  17: { name: "IQ2_XS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 32 },
  18: { name: "IQ3_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 },
  19: { name: "IQ1_S", blockSize: QK_K, typeSize: 2 + QK_K / 8 + QK_K / 16 },
  20: { name: "IQ4_NL", blockSize: 32, typeSize: 2 + 16 },
  21: { name: "IQ3_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4 },
  22: { name: "IQ2_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 16 },
  23: { name: "IQ4_XS", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 64 },
  24: { name: "I8", blockSize: 1, typeSize: 1 },
  25: { name: "I16", blockSize: 1, typeSize: 2 },
  26: { name: "I32", blockSize: 1, typeSize: 4 },
  27: { name: "I64", blockSize: 1, typeSize: 8 },
  28: { name: "F64", blockSize: 1, typeSize: 8 },
  29: { name: "IQ1_M", blockSize: QK_K, typeSize: QK_K / 8 + QK_K / 16 + QK_K / 32 },
  30: { name: "BF16", blockSize: 1, typeSize: 2 },
  34: { name: "TQ1_0", blockSize: QK_K, typeSize: 2 + 4 * 13 },
  35: { name: "TQ2_0", blockSize: QK_K, typeSize: 2 + 64 },
  39: { name: "MXFP4", blockSize: 32, typeSize: 1 + 16 },
  40: { name: "NVFP4", blockSize: 64, typeSize: 4 + 32 },
};

export function ggmlType(id: number): GgmlType | undefined {
  return Object.hasOwn(TYPES, id) ? TYPES[id] : undefined;
}
