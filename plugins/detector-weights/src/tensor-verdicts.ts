import type { Location, ReportInput } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core";
import { STREAM_DESCRIPTIONS } from "./extracted-stream.js";
import type { TrackedTensor } from "./tensor-ranges.js";
import type { TensorResult } from "./tensor-scanner.js";

/** Statistics are judged on tensors with at least this many finite values. */
export const MIN_STATISTICS_VALUES = 4096;
/** |z| beyond which a value is an outlier. */
export const OUTLIER_Z = 12;
/** A constant tensor is worth a note only from this many values (biases and norms start constant). */
export const MIN_CONSTANT_VALUES = 65536;
/** -Inf is how attention masks hide positions. */
const MASK_NAME = /mask|causal|attn_bias|alibi/i;
/**
 * A small tensor that is nothing but one infinity is a bound or sentinel (IterativeImputer's default
 * clip limits `[-inf, -inf, ...]`, a "best so far" that starts at +inf), not trained values. Corrupt or
 * trigger weights mix non-finite values into finite ones, and large tensors stay warnings.
 */
const MAX_SENTINEL_VALUES = 4096;

export type Verdict = Omit<ReportInput, "origin">;

/** The findings one finished tensor gives, without the origin. */
export function judgeTensor(tensor: TrackedTensor, result: TensorResult): Verdict[] {
  const verdicts: Verdict[] = [];
  const { fact, format } = tensor;
  const described = {
    tensor: truncateText(fact.name, 160),
    dtype: fact.dtype,
    shape: `[${truncateText(fact.shape.join(", "), 80)}]`,
    offset: tensor.start,
  };
  const path = fact.location?.path ?? fact.name;
  const at = (offset: number): Location => ({ path, offset });
  const { statistics } = result;

  if (statistics.nonFinite > 0) {
    const onlyMaskInfinity = statistics.nan === 0 && statistics.positiveInfinity === 0 && MASK_NAME.test(fact.name);
    const sentinel =
      result.values <= MAX_SENTINEL_VALUES &&
      statistics.nan === 0 &&
      (statistics.positiveInfinity === result.values || statistics.negativeInfinity === result.values);
    verdicts.push({
      rule: "non-finite-weights",
      messageId: onlyMaskInfinity ? "maskInfinity" : sentinel ? "sentinelInfinity" : "found",
      data: {
        ...described,
        nan: statistics.nan,
        positiveInfinity: statistics.positiveInfinity,
        negativeInfinity: statistics.negativeInfinity,
        values: result.values,
      },
      location: at(tensor.start),
      ...(onlyMaskInfinity || sentinel ? { severity: "info" as const } : {}),
    });
  }

  const hidden = result.hidden;
  if (hidden) {
    const valuesPerByte = hidden.stream === "low-byte" ? 1 : 8;
    const position = hidden.signature?.offset ?? hidden.text?.start ?? 0;
    const location = at(tensor.start + position * valuesPerByte * format.size);
    const stream = STREAM_DESCRIPTIONS[hidden.stream];
    if (hidden.signature) {
      verdicts.push({
        rule: "hidden-payload",
        messageId: "signature",
        data: { ...described, payload: hidden.signature.description, stream, position },
        location,
        evidence: `extracted bytes: ${hidden.signatureBytes}`,
      });
    } else if (hidden.text) {
      verdicts.push({
        rule: "hidden-payload",
        messageId: "text",
        data: { ...described, length: hidden.text.length, stream, position },
        location,
        evidence: `extracted text: ${JSON.stringify(excerpt(hidden.text.excerpt, 80))}`,
      });
    }
  }

  if (statistics.count >= MIN_STATISTICS_VALUES) {
    if (statistics.min === statistics.max) {
      if (statistics.count >= MIN_CONSTANT_VALUES) {
        const zero = statistics.min === 0;
        verdicts.push({
          rule: "weight-outliers",
          messageId: zero ? "allZero" : "constant",
          data: { ...described, values: statistics.count, ...(zero ? {} : { value: number(statistics.min) }) },
          location: at(tensor.start),
        });
      }
    } else {
      const summary = statistics.summarize(OUTLIER_Z);
      if (summary.count >= MIN_STATISTICS_VALUES && summary.beyond.count > 0) {
        verdicts.push({
          rule: "weight-outliers",
          messageId: "outliers",
          data: {
            ...described,
            count: `${summary.beyond.atLeast ? "at least " : ""}${summary.beyond.count}`,
            values: summary.count,
            maxZ: summary.beyond.maxAbsoluteZ.toFixed(1),
            mean: number(summary.mean),
            deviation: number(summary.deviation),
            min: number(summary.min),
            max: number(summary.max),
          },
          location: at(tensor.start),
        });
      }
    }
  }
  return verdicts;
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
