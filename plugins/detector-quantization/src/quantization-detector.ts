import type {
  CallFact,
  Detector,
  DetectorContext,
  DetectorRun,
  Fact,
  Origin,
  ReportInput,
  TensorConsumer,
  TensorDType,
  TensorFact,
  TensorStream,
} from "@modelaudit/core";
import { elementCount } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { statisticsOf, statisticsOptionsFor, type TensorStatistics } from "@modelaudit/tensors";
import { BlockScales, hasBlockScales } from "./block-scales.js";
import { QUANTIZATION_DESCRIPTOR, QUANTIZATION_RULES } from "./descriptor.js";
import { claimKind, DtypeCensus, type DtypeClaim } from "./dtype-claims.js";
import { judgeRange, rangeUse } from "./int-range.js";
import { isScaleName, isZeroPointName, layerOf } from "./names.js";
import { judgeNonFinite } from "./non-finite.js";
import { type QuantizationOptions, readOptions } from "./options.js";
import { prunedRows } from "./pruned-rows.js";
import { qtensorParameters } from "./qtensor-call.js";
import { MAX_ZERO_INDICES, ScaleValues } from "./scale-values.js";

type RuleName = (typeof QUANTIZATION_RULES)[number]["name"];
type Verdict = Omit<ReportInput, "rule"> & { rule: RuleName };

/** Rows of a weight judged for zero rows: the shared statistics keep at most this many norms. */
const MIN_PRUNING_ROWS = 8;
/** Zero-point tensors larger than this are not parameters (judged as plain integers). */
const MAX_ZERO_POINT_VALUES = 1 << 20;
/** 8-bit tensors remembered for the range check, which waits for the artifact's scales. */
const MAX_PENDING_INTEGERS = 10_000;
/** A lone zero among at least this many scales, with no weight to check it against, may be a padding row. */
const MIN_SCALES_FOR_ZERO_ROW = 16;

export const quantizationDetector: Detector = {
  ...QUANTIZATION_DESCRIPTOR,
  create(context: DetectorContext): DetectorRun {
    return new QuantizationRun(context, readOptions(context.options));
  },
};

interface IntegerWeight {
  fact: TensorFact;
  origin: Origin;
  offset: number;
  histogram: Float64Array;
  rows: number;
}

interface ZeroPoint {
  fact: TensorFact;
  origin: Origin;
  offset: number;
  min: number;
  max: number;
}

class QuantizationRun implements DetectorRun {
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();
  private readonly census = new DtypeCensus();
  private readonly claims: { claim: DtypeClaim & { origin: Origin }; kind: "dtype" | "quantization" }[] = [];
  /** Layers that have a scale tensor, and the integer dtypes of their weights. */
  private readonly scaledLayers = new Set<string>();
  private readonly weightDtypes = new Map<string, TensorDType>();
  private readonly integers: IntegerWeight[] = [];
  /** Per layer, which rows of its 8-bit weight are all zero (from the shared row statistics). */
  private readonly zeroRows = new Map<string, { rows: number; zero: Set<number> }>();
  /** Scales whose only broken values are zeros: judged at the end, against their weight's zero rows. */
  private readonly zeroScales: { tensor: TensorStream; scales: ScaleValues }[] = [];
  private readonly zeroPoints: ZeroPoint[] = [];

  constructor(
    private readonly context: DetectorContext,
    private readonly options: QuantizationOptions,
  ) {}

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind === "tensor") {
      this.census.add(fact);
      this.noteNames(fact);
      return;
    }
    if (fact.kind === "call") {
      this.judgeQtensor(fact, origin);
      return;
    }
    if (fact.kind !== "text" || fact.key === undefined || fact.role !== "config") return;
    const kind = claimKind(fact.key);
    if (kind && this.claims.length < 16) this.claims.push({ claim: { key: fact.key, value: fact.text, origin }, kind });
  }

  onTensor(tensor: TensorStream): TensorConsumer | undefined {
    const { fact, info } = tensor;
    const elements = elementCount(fact.shape) ?? 0;
    if (info.class === "quantized") {
      if (!hasBlockScales(fact.dtype)) return undefined;
      const blocks = new BlockScales(fact.dtype, this.options.maxScale);
      // A q8_0 weight's shared statistics (which the backdoor checks read too) decode every block's
      // d and give their range per chunk: a chunk within bounds needs no second look.
      const statistics =
        fact.dtype === "q8_0" && fact.shape.length >= 2
          ? statisticsOf(tensor, statisticsOptionsFor(this.context.level))
          : null;
      return {
        data: (chunk) => {
          if (!blocks.countWithin(chunk, statistics?.blockScalesOf(chunk) ?? null)) blocks.data(chunk);
        },
        end: (complete) => {
          if (complete) this.judgeBlocks(tensor, blocks);
        },
      };
    }
    if (info.class === "float" && isScaleName(fact.name, elements)) {
      const scales = new ScaleValues(fact.dtype, this.options.maxScale);
      if (!scales.decodable) return undefined;
      return {
        data: (chunk) => scales.data(chunk),
        end: (complete) => {
          if (complete) this.judgeScales(tensor, scales);
        },
      };
    }
    if (info.class !== "float" && info.class !== "integer") return undefined;
    // Of the integer tensors only zero points and 8-bit weights are judged: no statistics for the rest.
    if (info.class === "integer" && !isZeroPointName(fact.name) && fact.dtype !== "i8" && fact.dtype !== "u8") {
      return undefined;
    }
    const statistics = statisticsOf(tensor, statisticsOptionsFor(this.context.level));
    // The shared statistics end before this consumer does, so they are complete here.
    return {
      data: () => undefined,
      end: (complete) => {
        if (complete) this.judgeValues(tensor, statistics, elements);
      },
    };
  }

  finish(): void {
    this.judgeZeroScales();
    this.judgeIntegers();
    this.judgeZeroPoints();
    for (const { claim, kind } of this.claims) {
      const verdict = this.census.judge(claim, kind);
      if (!verdict) continue;
      const location = { path: claim.key };
      if (verdict.kind === "dtype") {
        this.report({
          rule: "dtype-mismatch",
          messageId: "dtype",
          data: {
            key: claim.key,
            claimed: claim.value,
            dominant: verdict.dominant,
            share: percent(verdict.share),
            tensors: this.census.tensors,
          },
          origin: claim.origin,
          location,
        });
      } else {
        this.report({
          rule: "dtype-mismatch",
          messageId: "quantization",
          data: { key: claim.key, method: claim.value, tensors: this.census.tensors },
          origin: claim.origin,
          location,
        });
      }
    }
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  /** A torch quantized tensor's per-tensor scale and zero point, as its rebuild call in the pickle gives them. */
  private judgeQtensor(fact: CallFact, origin: Origin): void {
    const parameters = qtensorParameters(fact);
    if (!parameters) return;
    const { scale, zeroPoint, scheme, size } = parameters;
    const location = fact.location ?? {};
    const data = { scheme, size: truncateText(size, 80), offset: location.offset ?? 0 };
    if (!(scale > 0 && scale <= this.options.maxScale)) {
      this.report({
        rule: "broken-scale",
        messageId: "qtensor",
        data: { ...data, value: number(scale), maxScale: this.options.maxScale },
        origin,
        location,
      });
    }
    // The storage type (qint8 or quint8) is not in the call: the union of both ranges.
    if (!Number.isInteger(zeroPoint) || zeroPoint < -128 || zeroPoint > 255) {
      this.report({
        rule: "zero-point-range",
        messageId: "qtensor",
        data: { ...data, zeroPoint: number(zeroPoint), range: "int8 or uint8", low: -128, high: 255 },
        origin,
        location,
      });
    }
  }

  /** Remembers which layers carry a scale and what integer type their weights are. */
  private noteNames(fact: TensorFact): void {
    const elements = elementCount(fact.shape) ?? 0;
    if (isScaleName(fact.name, elements)) this.scaledLayers.add(layerOf(fact.name));
    else if ((fact.dtype === "i8" || fact.dtype === "u8") && !isZeroPointName(fact.name)) {
      this.weightDtypes.set(layerOf(fact.name), fact.dtype);
    }
  }

  private judgeBlocks(tensor: TensorStream, blocks: BlockScales): void {
    if (blocks.broken === 0 || blocks.first === null) return;
    const { block, field, value } = blocks.first;
    this.report({
      rule: "broken-scale",
      messageId: "blocks",
      data: {
        ...described(tensor),
        nonFinite: blocks.nonFinite,
        negative: blocks.negative,
        extreme: blocks.extreme,
        blocks: blocks.blocks,
        block,
        field,
        value: number(value),
        maxScale: this.options.maxScale,
      },
      origin: tensor.dataOrigin,
      location: at(tensor, tensor.dataOffset + block * tensor.info.blockBytes),
    });
  }

  private judgeScales(tensor: TensorStream, scales: ScaleValues, zeroRowsJudged = false): void {
    if (scales.broken === 0 || scales.first === null) return;
    // Absmax quantization gives an all-zero row (a padding embedding, a pruned neuron) scale 0/0 := 0:
    // zeros alone wait for the weight's rows.
    if (!zeroRowsJudged && scales.zero === scales.broken) {
      if (this.zeroScales.length < MAX_PENDING_INTEGERS) {
        this.zeroScales.push({ tensor, scales });
        return;
      }
    }
    const { index, value } = scales.first;
    this.report({
      rule: "broken-scale",
      messageId: "scales",
      data: {
        ...described(tensor),
        nan: scales.nan,
        infinite: scales.infinite,
        zero: scales.zero,
        negative: scales.negative,
        extreme: scales.extreme,
        values: scales.values,
        index,
        value: number(value),
        maxScale: this.options.maxScale,
      },
      origin: tensor.dataOrigin,
      location: at(tensor, tensor.dataOffset + index * tensor.info.blockBytes),
    });
  }

  private judgeValues(tensor: TensorStream, statistics: TensorStatistics, elements: number): void {
    const { fact } = tensor;
    if (tensor.info.class === "integer") {
      if (isZeroPointName(fact.name) && elements <= MAX_ZERO_POINT_VALUES && statistics.finite > 0) {
        if (this.zeroPoints.length < MAX_PENDING_INTEGERS) {
          this.zeroPoints.push({
            fact,
            origin: tensor.dataOrigin,
            offset: tensor.dataOffset,
            min: statistics.min,
            max: statistics.max,
          });
        }
        return;
      }
      const summary = statistics.rows;
      if (
        (fact.dtype === "i8" || fact.dtype === "u8") &&
        summary &&
        !summary.truncated &&
        this.zeroRows.size < MAX_PENDING_INTEGERS
      ) {
        const zero = new Set<number>();
        for (let row = 0; row < summary.kept; row++) if (summary.zeros[row] === summary.rowLength) zero.add(row);
        this.zeroRows.set(layerOf(fact.name), { rows: summary.rows, zero });
      }
      const histogram = statistics.lowByte;
      if ((fact.dtype === "i8" || fact.dtype === "u8") && histogram && this.integers.length < MAX_PENDING_INTEGERS) {
        this.integers.push({
          fact,
          origin: tensor.dataOrigin,
          offset: tensor.dataOffset,
          histogram: Float64Array.from(histogram),
          rows: fact.shape.length >= 2 ? (fact.shape[0] ?? 1) : 1,
        });
      }
      return;
    }
    const nonFinite = judgeNonFinite(fact.name, statistics, tensor.origin.formats);
    if (nonFinite) {
      const { messageId, note, ...counts } = nonFinite;
      this.report({
        rule: "non-finite-weights",
        messageId,
        data: { ...described(tensor), ...counts },
        origin: tensor.dataOrigin,
        location: at(tensor, tensor.dataOffset),
        ...(note ? { severity: "info" as const } : {}),
      });
    }
    const rows = statistics.rows;
    if (rows && rows.kept >= MIN_PRUNING_ROWS && statistics.nonFinite === 0 && !/mask/i.test(fact.name)) {
      const pruned = prunedRows(rows.norms());
      if (pruned) {
        this.report({
          rule: "pruned-rows",
          messageId: pruned.stride === null ? "rows" : "stride",
          data: {
            ...described(tensor),
            zero: pruned.zero,
            rows: pruned.rows,
            first: pruned.first,
            ...(pruned.stride === null ? {} : { stride: pruned.stride }),
          },
          origin: tensor.dataOrigin,
          location: at(tensor, tensor.dataOffset),
        });
      }
    }
  }

  /**
   * Zero scales are correct quantization where their rows are all zero (absmax 0). With the layer's
   * 8-bit weight known, every zero scale must sit on an all-zero row of it; without it, a single zero
   * among many scales (a padding row) is a note and more are broken, as before.
   */
  private judgeZeroScales(): void {
    for (const { tensor, scales } of this.zeroScales) {
      const weight = this.zeroRows.get(layerOf(tensor.fact.name));
      const perRow = weight !== undefined && weight.rows === scales.values && scales.zero <= MAX_ZERO_INDICES;
      if (perRow) {
        if (scales.zeroIndices.every((index) => weight.zero.has(index))) continue;
        this.judgeScales(tensor, scales, true);
        continue;
      }
      if (weight === undefined && scales.zero === 1 && scales.values >= MIN_SCALES_FOR_ZERO_ROW) {
        this.report({
          rule: "broken-scale",
          messageId: "zeroRow",
          data: { ...described(tensor), values: scales.values, index: scales.zeroIndices[0] ?? 0 },
          origin: tensor.dataOrigin,
          location: at(tensor, tensor.dataOffset + (scales.zeroIndices[0] ?? 0) * tensor.info.blockBytes),
          severity: "info",
        });
        continue;
      }
      this.judgeScales(tensor, scales, true);
    }
    this.zeroScales.length = 0;
  }

  /** 8-bit weights of layers that carry a scale: only those are quantized values (a uint8 image or mask is not). */
  private judgeIntegers(): void {
    for (const weight of this.integers.splice(0)) {
      if (!this.scaledLayers.has(layerOf(weight.fact.name))) continue;
      const signed = weight.fact.dtype === "i8";
      const use = rangeUse(weight.histogram, signed);
      const verdict = judgeRange(use, weight.rows, this.options.maxSaturation);
      if (!verdict) continue;
      const data = {
        tensor: truncateText(weight.fact.name, 160),
        dtype: weight.fact.formatDtype,
        shape: shapeOf(weight.fact),
        offset: weight.offset,
        values: use.values,
        saturated: use.saturated,
        levels: use.levels,
        min: use.min,
        max: use.max,
      };
      const location = { path: weight.fact.location?.path ?? weight.fact.name, offset: weight.offset };
      if (verdict.kind === "saturated") {
        this.report({
          rule: "int8-range",
          messageId: "saturated",
          data: {
            ...data,
            fraction: percent(verdict.fraction),
            threshold: percent(this.options.maxSaturation),
            expected: verdict.expected,
          },
          origin: weight.origin,
          location,
        });
      } else {
        this.report({
          rule: "int8-range",
          messageId: "narrow",
          data,
          origin: weight.origin,
          location,
          severity: "info",
        });
      }
    }
  }

  private judgeZeroPoints(): void {
    for (const point of this.zeroPoints.splice(0)) {
      const weight = this.weightDtypes.get(layerOf(point.fact.name));
      const [low, high, range] =
        weight === "i8" ? [-128, 127, "int8"] : weight === "u8" ? [0, 255, "uint8"] : [-128, 255, "int8 or uint8"];
      if (point.min >= low && point.max <= high) continue;
      this.report({
        rule: "zero-point-range",
        messageId: "outside",
        data: {
          tensor: truncateText(point.fact.name, 160),
          dtype: point.fact.formatDtype,
          shape: shapeOf(point.fact),
          offset: point.offset,
          min: point.min,
          max: point.max,
          range,
          low: low as number,
          high: high as number,
        },
        origin: point.origin,
        location: { path: point.fact.location?.path ?? point.fact.name, offset: point.offset },
      });
    }
  }

  private report(verdict: Verdict): void {
    const count = (this.reported.get(verdict.rule) ?? 0) + 1;
    this.reported.set(verdict.rule, count);
    if (count > this.options.maxFindingsPerRule) {
      const overflow = this.overflow.get(verdict.rule) ?? { count: 0, origin: verdict.origin };
      overflow.count++;
      this.overflow.set(verdict.rule, overflow);
      return;
    }
    this.context.report(verdict);
  }
}

function described(tensor: TensorStream) {
  return {
    tensor: truncateText(tensor.fact.name, 160),
    dtype: tensor.fact.formatDtype,
    shape: shapeOf(tensor.fact),
    offset: tensor.dataOffset,
  };
}

function shapeOf(fact: TensorFact): string {
  return `[${truncateText(fact.shape.join(", "), 80)}]`;
}

function at(tensor: TensorStream, offset: number) {
  return { path: tensor.fact.location?.path ?? tensor.fact.name, offset };
}

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) return value.toExponential(3);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

export { QUANTIZATION_RULES };
