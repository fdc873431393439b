import type { TensorDType, TensorFact } from "@modelaudit/core";
import { dtypeInfo, elementCount } from "@modelaudit/core";

/**
 * What a Hugging Face `config.json` says the weights are (`torch_dtype`, or `dtype` in newer
 * transformers; `quantization_config.quant_method`) against the tensors of the same artifact (a
 * zipped or tarred model folder). transformers writes both from the same model at save time, so they
 * agree; a config that names another dtype, or a quantization the weights do not carry, was edited:
 * loaders trust the config (they cast to it, or pick a quantized kernel for it).
 */

const TORCH_DTYPES: Readonly<Record<string, TensorDType>> = {
  float16: "f16",
  "torch.float16": "f16",
  half: "f16",
  bfloat16: "bf16",
  "torch.bfloat16": "bf16",
  float32: "f32",
  "torch.float32": "f32",
  float: "f32",
  float64: "f64",
  "torch.float64": "f64",
};

/** Methods whose checkpoints store packed integers or float8, never only plain floats. */
const QUANTIZED_METHODS = new Set([
  "gptq",
  "awq",
  "bitsandbytes",
  "fp8",
  "fbgemm_fp8",
  "compressed-tensors",
  "eetq",
  "aqlm",
  "exl2",
  "marlin",
  "bitnet",
]);

export interface DtypeClaim {
  key: string;
  value: string;
  origin: unknown;
}

export type DtypeVerdict =
  | { kind: "dtype"; claim: DtypeClaim; claimed: TensorDType; dominant: TensorDType; share: number }
  | { kind: "quantization"; claim: DtypeClaim; floatShare: number };

/** `torch_dtype`/`dtype` at the top level of a config, or `quantization_config.quant_method`. */
export function claimKind(key: string): "dtype" | "quantization" | null {
  if (key === "torch_dtype" || key === "dtype") return "dtype";
  if (key === "quantization_config.quant_method") return "quantization";
  return null;
}

/** Elements per dtype over the artifact's tensors. */
export class DtypeCensus {
  readonly elements = new Map<TensorDType, number>();
  tensors = 0;

  add(fact: TensorFact): void {
    const count = elementCount(fact.shape);
    if (count === null || count === 0) return;
    this.tensors++;
    this.elements.set(fact.dtype, (this.elements.get(fact.dtype) ?? 0) + count);
  }

  judge(claim: DtypeClaim, kind: "dtype" | "quantization"): DtypeVerdict | null {
    if (this.tensors === 0) return null;
    let floats = 0;
    let total = 0;
    let dominant: TensorDType | null = null;
    let dominantCount = 0;
    for (const [dtype, count] of this.elements) {
      total += count;
      if (dtypeInfo(dtype).class !== "float" || dtype.startsWith("f8")) continue;
      floats += count;
      if (count > dominantCount) {
        dominant = dtype;
        dominantCount = count;
      }
    }
    if (kind === "quantization") {
      if (!QUANTIZED_METHODS.has(claim.value.trim().toLowerCase()) || floats < total) return null;
      return { kind: "quantization", claim, floatShare: 1 };
    }
    const claimed = TORCH_DTYPES[claim.value.trim().toLowerCase()];
    if (claimed === undefined || dominant === null || floats === 0) return null;
    const share = (this.elements.get(claimed) ?? 0) / floats;
    // Mixed checkpoints keep norms or heads in float32 beside float16 weights: only a claim the bulk
    // of the float weights contradicts counts.
    if (share >= 0.5) return null;
    return { kind: "dtype", claim, claimed, dominant, share };
  }
}
