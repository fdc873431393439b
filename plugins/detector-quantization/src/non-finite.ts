import type { TensorStatistics } from "@modelaudit/tensors";

/** -Inf is how attention masks hide positions. */
const MASK_NAME = /mask|causal|attn_bias|alibi/i;
/**
 * A small tensor that is nothing but one infinity is a bound or sentinel (IterativeImputer's default
 * clip limits `[-inf, -inf, ...]`, a "best so far" that starts at +inf), not trained values. Corrupt or
 * trigger weights mix non-finite values into finite ones, and large tensors stay warnings.
 */
const MAX_SENTINEL_VALUES = 4096;

export interface NonFiniteVerdict {
  messageId: "found" | "maskInfinity" | "sentinelInfinity";
  /** Notes (a mask's -Inf, a sentinel) are info; corrupt weights keep the rule's warning. */
  note: boolean;
  nan: number;
  positiveInfinity: number;
  negativeInfinity: number;
  values: number;
}

/** What a float tensor's NaN and ±Inf counts mean, or null when it has none (moved from detector-weights). */
export function judgeNonFinite(name: string, statistics: TensorStatistics): NonFiniteVerdict | null {
  if (statistics.nonFinite === 0) return null;
  const values = statistics.elements;
  const { nan, positiveInfinity, negativeInfinity } = statistics;
  const maskInfinity = nan === 0 && positiveInfinity === 0 && MASK_NAME.test(name);
  const sentinel =
    values <= MAX_SENTINEL_VALUES && nan === 0 && (positiveInfinity === values || negativeInfinity === values);
  const messageId = maskInfinity ? "maskInfinity" : sentinel ? "sentinelInfinity" : "found";
  return { messageId, note: maskInfinity || sentinel, nan, positiveInfinity, negativeInfinity, values };
}
