import type { Detector, DetectorContext, DetectorRun, Origin, ReportInput, TensorStream } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { statisticsOf, statisticsOptionsFor, type TensorStatistics } from "@modelaudit/tensors";
import {
  biasOutlier,
  type Check,
  classifierRows,
  crossLayer,
  dominatedRows,
  duplicateRows,
  type Layer,
  listed,
  outlierNeurons,
  pruningMask,
  triggerPatch,
} from "./checks.js";
import { BACKDOOR_DESCRIPTOR, BACKDOOR_RULES } from "./descriptor.js";
import { type BackdoorOptions, readOptions } from "./options.js";
import { RowExtras } from "./row-extras.js";

/** A classifier head by its module name (`fc`, `head`, `classifier`, `lm_head`, `output`...). */
const HEAD_NAME =
  /(?:^|[./_])(?:fc|head|classifier|lm_head|output|logits|cls|predictions?)(?:[./_]weight|[./_]kernel)?$/i;
/** Embedding tables: a trigger token's row is where a stamped pattern would sit. */
const EMBEDDING_NAME = /embed|embd|wte|tok_emb|token_emb|word_emb/i;
const BIAS_NAME = /(?:^|[./_])bias$/i;
/** First convolutions take images: 1 to 4 input channels. */
const MAX_IMAGE_CHANNELS = 4;
/** Training state saved beside the weights (optimizer moments, schedulers): not behaviour. */
const TRAINING_STATE =
  /(?:^|[./_])(?:optimizer|optim|exp_avg|exp_avg_sq|momentum_buffer|scheduler|lr_scheduler|grad_scaler|scaler)(?:[./_]|$)/i;
/** A fitted scikit-learn attribute (`coef_`, `L_`): arrays of a statistical model, not layers. */
const FITTED_ATTRIBUTE = /(?:^|\.)[A-Za-z0-9]+_$/;
/** Fewer rows or biases than this say too little for a layer-relative statistic (a 4-class head, a 4-unit layer). */
const MIN_LAYER_ROWS = 8;

export const backdoorDetector: Detector = {
  ...BACKDOOR_DESCRIPTOR,
  create(context: DetectorContext): DetectorRun {
    return new BackdoorRun(context, readOptions(context.options));
  },
};

interface Pending {
  tensor: TensorStream;
  layer: Layer;
}

class BackdoorRun implements DetectorRun {
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();
  /** The last 2-D weight seen: the classifier head when no tensor is named like one. */
  private pending: Pending | null = null;
  private namedHead = false;
  /** `thorough`: the last rank ≥ 2 weight's name and row norms, for the cross-layer check with the next. */
  private previous: { name: string; norms: Float64Array } | null = null;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: BackdoorOptions,
  ) {}

  onTensor(tensor: TensorStream) {
    const { fact, info } = tensor;
    if (TRAINING_STATE.test(fact.name) || FITTED_ATTRIBUTE.test(fact.name)) return undefined;
    const bias = fact.shape.length === 1 && BIAS_NAME.test(fact.name);
    // 32/64-bit integers are ids, positions and counters, not weights (a quantized model's int32 bias excepted).
    if (info.class === "integer" && info.blockBytes > 2 && !bias) return undefined;
    if (fact.shape.length === 1 && !bias) return undefined;
    const statistics = statisticsOf(tensor, statisticsOptionsFor(this.context.level));
    const trigger =
      (fact.shape.length === 4 && fact.shape[1]! <= MAX_IMAGE_CHANNELS) ||
      (fact.shape.length === 2 && EMBEDDING_NAME.test(fact.name));
    const extras = new RowExtras(fact.dtype, fact.shape, trigger, this.context.level === "thorough");
    // Most layers need only the shared statistics: no second decode of their values.
    const data = extras.needed ? (chunk: Uint8Array, offset: number) => extras.data(chunk, offset) : () => undefined;
    return {
      data,
      end: (complete: boolean) => {
        // An incomplete tensor is recorded by the engine; half a layer's rows would mislead the statistics.
        if (complete) this.judge(tensor, statistics, extras);
      },
    };
  }

  finish(): void {
    // The last 2-D tensor is taken for the head only when it is named like a weight.
    if (this.pending) {
      const { tensor, layer } = this.pending;
      this.judgeLayer(tensor, layer, !this.namedHead && /weight|kernel/i.test(layer.name));
    }
    this.pending = null;
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  private judge(tensor: TensorStream, statistics: TensorStatistics, extras: RowExtras): void {
    const { fact } = tensor;
    const settings = { threshold: this.options.threshold };
    if (extras.vector !== null) {
      if (extras.vector.length < MIN_LAYER_ROWS) return;
      const check = biasOutlier(extras.vector, settings);
      if (check) this.add(tensor, check);
      return;
    }
    const summary = statistics.rows;
    if (summary === null || summary.kept === 0) return;
    const norms = summary.norms();
    if (this.context.level === "thorough") this.crossLayer(tensor, norms, extras);
    const layer: Layer = {
      name: fact.name,
      shape: fact.shape,
      integer: tensor.info.class === "integer",
      summary,
      top: extras.top,
      norms,
      valueMedian: statistics.median,
      valueSpread: 1.4826 * statistics.mad,
    };
    if (fact.shape.length !== 2) {
      this.judgeLayer(tensor, layer, false);
      return;
    }
    if (HEAD_NAME.test(fact.name)) {
      this.namedHead = true;
      this.judgeLayer(tensor, layer, true);
      return;
    }
    // Held until the next 2-D weight: the last one is the head when none is named.
    if (this.pending) this.judgeLayer(this.pending.tensor, this.pending.layer, false);
    this.pending = { tensor, layer };
  }

  /** The previous layer's rows against this layer's input columns, when their counts match; then this layer becomes the previous. */
  private crossLayer(tensor: TensorStream, norms: Float64Array, extras: RowExtras): void {
    const previous = this.previous;
    // Only complete row sets pair up: a truncated layer's norms cover its first rows only.
    this.previous = extras.kept === extras.rows ? { name: tensor.fact.name, norms } : null;
    if (previous === null || extras.columns === null || extras.kept !== extras.rows) return;
    const found = crossLayer(previous.norms, extras.columns, { threshold: this.options.threshold });
    if (found === null) return;
    this.add(tensor, {
      rule: "cross-layer",
      messageId: "path",
      data: {
        previous: previous.name.slice(0, 160),
        count: found.rows.length,
        rows: listed(found.rows),
        zOut: found.zOut,
        zIn: found.zIn,
        ratioOut: found.ratioOut,
        ratioIn: found.ratioIn,
        threshold: found.threshold,
      },
      confidence: 0.5,
    });
  }

  private judgeLayer(tensor: TensorStream, layer: Layer, head: boolean): void {
    const settings = { threshold: this.options.threshold };
    const explained = new Set<number>();
    const checks: (Check | null)[] = [pruningMask(layer, explained), triggerPatch(layer, settings, explained)];
    checks.push(dominatedRows(layer, settings, explained));
    const rows = layer.shape[0] ?? 0;
    if (rows >= MIN_LAYER_ROWS) {
      if (head) checks.push(...classifierRows(layer, settings, explained));
      else checks.push(outlierNeurons(layer, settings, explained));
    }
    checks.push(duplicateRows(layer));
    for (const check of checks) if (check) this.add(tensor, check);
  }

  private add(tensor: TensorStream, check: Check): void {
    const { fact } = tensor;
    if (check.note) {
      this.context.note?.({
        rule: check.rule,
        messageId: check.messageId,
        data: {
          tensor: truncateText(fact.name, 160),
          shape: `[${truncateText(fact.shape.join(", "), 80)}]`,
          ...check.data,
        },
      });
      return;
    }
    const count = (this.reported.get(check.rule) ?? 0) + 1;
    this.reported.set(check.rule, count);
    if (count > this.options.maxFindingsPerRule) {
      const overflow = this.overflow.get(check.rule) ?? { count: 0, origin: tensor.dataOrigin };
      overflow.count++;
      this.overflow.set(check.rule, overflow);
      return;
    }
    const report: ReportInput = {
      rule: check.rule,
      messageId: check.messageId,
      data: {
        tensor: truncateText(fact.name, 160),
        dtype: fact.formatDtype,
        shape: `[${truncateText(fact.shape.join(", "), 80)}]`,
        offset: tensor.dataOffset,
        ...check.data,
      },
      origin: tensor.dataOrigin,
      location: { path: fact.location?.path ?? fact.name, offset: tensor.dataOffset },
      ...(check.confidence !== undefined ? { confidence: check.confidence } : {}),
    };
    this.context.report(report);
  }
}

export { BACKDOOR_RULES };
