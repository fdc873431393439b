import { dtypeInfo, type TensorDType } from "@modelaudit/core";

/**
 * ggml tensor types that GGUF files carry: id → ggml's name and core's dtype, whose block geometry
 * (`dtypeInfo`) sizes the data. From ggml's `enum ggml_type` (ggml/include/ggml.h) and gguf-py's
 * `GGML_QUANT_SIZES` (gguf-py/gguf/constants.py). Ids 4, 5 (Q4_2/Q4_3) and 31-33, 36-38 (repacked
 * layouts) were removed from GGUF files; ids above 40 differ between forks, so they are unknown.
 */
export interface GgmlType {
  name: string;
  dtype: TensorDType;
  /** Elements per block. */
  blockSize: number;
  /** Bytes per block. */
  typeSize: number;
}

const NAMES: Readonly<Record<number, [name: string, dtype: TensorDType]>> = {
  0: ["F32", "f32"],
  1: ["F16", "f16"],
  2: ["Q4_0", "q4_0"],
  3: ["Q4_1", "q4_1"],
  6: ["Q5_0", "q5_0"],
  7: ["Q5_1", "q5_1"],
  8: ["Q8_0", "q8_0"],
  9: ["Q8_1", "q8_1"],
  10: ["Q2_K", "q2_k"],
  11: ["Q3_K", "q3_k"],
  12: ["Q4_K", "q4_k"],
  13: ["Q5_K", "q5_k"],
  14: ["Q6_K", "q6_k"],
  15: ["Q8_K", "q8_k"],
  16: ["IQ2_XXS", "iq2_xxs"],
  17: ["IQ2_XS", "iq2_xs"],
  18: ["IQ3_XXS", "iq3_xxs"],
  19: ["IQ1_S", "iq1_s"],
  20: ["IQ4_NL", "iq4_nl"],
  21: ["IQ3_S", "iq3_s"],
  22: ["IQ2_S", "iq2_s"],
  23: ["IQ4_XS", "iq4_xs"],
  24: ["I8", "i8"],
  25: ["I16", "i16"],
  26: ["I32", "i32"],
  27: ["I64", "i64"],
  28: ["F64", "f64"],
  29: ["IQ1_M", "iq1_m"],
  30: ["BF16", "bf16"],
  34: ["TQ1_0", "tq1_0"],
  35: ["TQ2_0", "tq2_0"],
  39: ["MXFP4", "mxfp4"],
  40: ["NVFP4", "opaque"],
};

/** Core has no name for NVFP4 (opaque to it), but its size is known: 64 elements in 4 + 32 bytes. */
const OPAQUE_GEOMETRY: Readonly<Record<number, { blockSize: number; typeSize: number }>> = {
  40: { blockSize: 64, typeSize: 4 + 32 },
};

export function ggmlType(id: number): GgmlType | undefined {
  if (!Object.hasOwn(NAMES, id)) return undefined;
  const [name, dtype] = NAMES[id]!;
  const own = Object.hasOwn(OPAQUE_GEOMETRY, id) ? OPAQUE_GEOMETRY[id]! : undefined;
  const geometry = dtypeInfo(dtype);
  return {
    name,
    dtype,
    blockSize: own?.blockSize ?? geometry.blockElements,
    typeSize: own?.typeSize ?? geometry.blockBytes,
  };
}
