import type { Location, ReportInput, TensorStream } from "@modelaudit/core";
import { dtypeInfo, FORMATS } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import type { TensorStatistics } from "@modelaudit/tensors";
import { type HiddenData, STREAM_DESCRIPTIONS } from "./hidden-data.js";
import { summarizeOutliers } from "./outliers.js";

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

/** Descriptions of the formats the engine's sniffers name most, for messages; others read `a <id> file`. */
const PAYLOAD_NAMES: Readonly<Record<string, string>> = {
  [FORMATS.elf]: "an ELF executable",
  [FORMATS.pe]: "a Windows PE executable",
  [FORMATS.machO]: "a Mach-O executable",
  [FORMATS.shebangScript]: "a script",
  [FORMATS.zip]: "a zip archive",
  [FORMATS.gzip]: "a gzip stream",
  [FORMATS.sevenZip]: "a 7z archive",
  [FORMATS.pickle]: "a pickle",
};

/** The findings one finished tensor gives, without the origin. */
export function judgeTensor(tensor: TensorStream, statistics: TensorStatistics, hidden: HiddenData | null): Verdict[] {
  const verdicts: Verdict[] = [];
  const { fact } = tensor;
  const start = tensor.dataOffset;
  const valueSize = dtypeInfo(fact.dtype).blockBytes;
  const described = {
    tensor: truncateText(fact.name, 160),
    dtype: fact.formatDtype,
    shape: `[${truncateText(fact.shape.join(", "), 80)}]`,
    offset: start,
  };
  const path = fact.location?.path ?? fact.name;
  const at = (offset: number): Location => ({ path, offset });
  const values = statistics.elements;

  if (statistics.nonFinite > 0) {
    const onlyMaskInfinity = statistics.nan === 0 && statistics.positiveInfinity === 0 && MASK_NAME.test(fact.name);
    const sentinel =
      values <= MAX_SENTINEL_VALUES &&
      statistics.nan === 0 &&
      (statistics.positiveInfinity === values || statistics.negativeInfinity === values);
    verdicts.push({
      rule: "non-finite-weights",
      messageId: onlyMaskInfinity ? "maskInfinity" : sentinel ? "sentinelInfinity" : "found",
      data: {
        ...described,
        nan: statistics.nan,
        positiveInfinity: statistics.positiveInfinity,
        negativeInfinity: statistics.negativeInfinity,
        values,
      },
      location: at(start),
      ...(onlyMaskInfinity || sentinel ? { severity: "info" as const } : {}),
    });
  }

  if (hidden) {
    const valuesPerByte = hidden.stream === "low-byte" ? 1 : 8;
    const position = hidden.signature?.offset ?? hidden.text?.start ?? 0;
    const location = at(start + position * valuesPerByte * valueSize);
    const stream = STREAM_DESCRIPTIONS[hidden.stream];
    if (hidden.signature) {
      verdicts.push({
        rule: "hidden-payload",
        messageId: "signature",
        data: {
          ...described,
          payload: PAYLOAD_NAMES[hidden.signature.format] ?? `a ${hidden.signature.format} file`,
          stream,
          position,
        },
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

  if (statistics.finite >= MIN_STATISTICS_VALUES) {
    if (statistics.min === statistics.max) {
      if (statistics.finite >= MIN_CONSTANT_VALUES) {
        const zero = statistics.min === 0;
        verdicts.push({
          rule: "weight-outliers",
          messageId: zero ? "allZero" : "constant",
          data: { ...described, values: statistics.finite, ...(zero ? {} : { value: number(statistics.min) }) },
          location: at(start),
        });
      }
    } else {
      const summary = summarizeOutliers(statistics, OUTLIER_Z);
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
            min: number(statistics.min),
            max: number(statistics.max),
          },
          location: at(start),
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
