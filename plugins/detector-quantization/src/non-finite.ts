import { FORMATS } from "@modelaudit/core";
import type { TensorStatistics } from "@modelaudit/tensors";

/** -Inf is how attention masks hide positions. */
const MASK_NAME = /mask|causal|attn_bias|alibi/i;
/**
 * A small tensor that is nothing but one infinity is a bound or sentinel (IterativeImputer's default
 * clip limits `[-inf, -inf, ...]`, a "best so far" that starts at +inf), not trained values. Corrupt or
 * trigger weights mix non-finite values into finite ones, and large tensors stay warnings.
 */
const MAX_SENTINEL_VALUES = 4096;

/**
 * A name that says model parameters: a NumPy file named so holds weights (`nan_weights.npy`,
 * `fc1.weight` in an .npz), where NaN is corruption; other NumPy arrays are data.
 */
const WEIGHT_NAME =
  /weight|kernel|bias|param|state_dict|checkpoint|ckpt|model|layer|embed|conv|dense|lm_head|attn|mlp|proj|(?:^|[._/])(?:w|b|fc)\d*(?:[._/]|$)/i;

export interface NonFiniteVerdict {
  messageId: "found" | "maskInfinity" | "sentinelInfinity" | "missingValues";
  /** Notes (a mask's -Inf, a sentinel) are info; corrupt weights keep the rule's warning. */
  note: boolean;
  nan: number;
  positiveInfinity: number;
  negativeInfinity: number;
  values: number;
}

/**
 * What a float tensor's NaN and ±Inf counts mean, or null when it has none (moved from detector-weights).
 * `formats` are the labels of the source that declared the tensor: an array NumPy itself wrote
 * (`np.save`/`np.savez`, labelled `numpy`; not a tensor inside a model format) whose name does not
 * say weights is data, where NaN is how missing values are written (pandas, scikit-learn imputers).
 */
export function judgeNonFinite(
  name: string,
  statistics: TensorStatistics,
  formats: readonly string[] = [],
): NonFiniteVerdict | null {
  if (statistics.nonFinite === 0) return null;
  const values = statistics.elements;
  const { nan, positiveInfinity, negativeInfinity } = statistics;
  if (nan > 0 && formats.includes(FORMATS.numpy) && !WEIGHT_NAME.test(name)) {
    return { messageId: "missingValues", note: true, nan, positiveInfinity, negativeInfinity, values };
  }
  const maskInfinity = nan === 0 && positiveInfinity === 0 && MASK_NAME.test(name);
  const sentinel =
    values <= MAX_SENTINEL_VALUES && nan === 0 && (positiveInfinity === values || negativeInfinity === values);
  const messageId = maskInfinity ? "maskInfinity" : sentinel ? "sentinelInfinity" : "found";
  return { messageId, note: maskInfinity || sentinel, nan, positiveInfinity, negativeInfinity, values };
}
