import type { CallFact } from "@modelaudit/core";

/**
 * A torch quantized tensor's per-tensor parameters, from the pickle call that rebuilds it
 * (format-pickle's `call` fact for `torch._utils._rebuild_qtensor(storage, offset, size, stride,
 * quantizer_params, requires_grad, hooks)`): `quantizer_params` is `(torch.per_tensor_affine, scale,
 * zero_point)` (or `per_tensor_symmetric`). Per-channel parameters are tensors, judged as tensors.
 * The values come rendered as format-pickle renders floats (`0.0061`, `NaN`, `Infinity`, `1e+30`).
 */
export interface QtensorParameters {
  scale: number;
  zeroPoint: number;
  scheme: string;
  size: string;
}

const PER_TENSOR = /^\(torch\.(per_tensor_(?:affine|symmetric)), ([^,()]+), ([^,()]+)\)$/;

export function qtensorParameters(fact: CallFact): QtensorParameters | null {
  if (fact.callee.module !== "torch._utils" || fact.callee.name !== "_rebuild_qtensor") return null;
  const match = PER_TENSOR.exec(fact.args?.[4] ?? "");
  if (!match) return null;
  const scale = Number(match[2]!.trim());
  const zeroPoint = Number(match[3]!.trim());
  if (match[2]!.trim() !== "NaN" && Number.isNaN(scale)) return null;
  if (!Number.isFinite(zeroPoint)) return null;
  return { scale, zeroPoint, scheme: match[1]!, size: fact.args?.[2] ?? "?" };
}
