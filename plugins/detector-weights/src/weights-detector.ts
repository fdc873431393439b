import type { Detector, DetectorContext, DetectorRun, Origin, ReportInput, TensorStream } from "@modelaudit/core";
import { statisticsOf, type TensorStatistics } from "@modelaudit/tensors";
import { HiddenDataReader } from "./hidden-data.js";
import { judgeTensor } from "./tensor-verdicts.js";

/** Findings per rule and artifact; past it, one `more` finding counts the rest. */
export const MAX_FINDINGS_PER_RULE = 100;

export const WEIGHTS_RULES = ["hidden-payload", "non-finite-weights", "weight-outliers"] as const;

export const weightsDetector: Detector = {
  id: "weights",
  description:
    "Reads the values of every float tensor in every format (the engine's tensor channel, at the thorough scan level): non-finite values, data hidden in low-order bits, statistical outliers and constant layers.",
  facts: [],
  tensors: { classes: ["float"] },
  // Tensor data reaches detectors only at the thorough level.
  levels: ["thorough"],
  rules: WEIGHTS_RULES,
  create(context: DetectorContext): DetectorRun {
    return new WeightsRun(context);
  },
};

class WeightsRun implements DetectorRun {
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();

  constructor(private readonly context: DetectorContext) {}

  onTensor(tensor: TensorStream) {
    const statistics = statisticsOf(tensor);
    const hidden = new HiddenDataReader(tensor.fact.dtype, this.context);
    // The shared statistics end before this consumer does, so both are complete here.
    return {
      data: (chunk: Uint8Array, offset: number) => hidden.data(chunk, offset),
      end: (complete: boolean) => {
        hidden.end(complete);
        if (complete) this.judge(tensor, statistics, hidden);
      },
    };
  }

  finish(): void {
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  private judge(tensor: TensorStream, statistics: TensorStatistics, hidden: HiddenDataReader): void {
    const found = hidden.result();
    if (hidden.limited) {
      this.context.inconclusive(
        `the low bits of tensor ${JSON.stringify(tensor.fact.name)} hold more magic numbers than the engine sniffs; some offsets were not identified`,
        tensor.dataOrigin,
      );
    }
    for (const verdict of judgeTensor(tensor, statistics, found)) {
      const count = (this.reported.get(verdict.rule) ?? 0) + 1;
      this.reported.set(verdict.rule, count);
      if (count > MAX_FINDINGS_PER_RULE) {
        const overflow = this.overflow.get(verdict.rule) ?? { count: 0, origin: tensor.dataOrigin };
        overflow.count++;
        this.overflow.set(verdict.rule, overflow);
        continue;
      }
      const report: ReportInput = { ...verdict, origin: tensor.dataOrigin };
      this.context.report(report);
    }
  }
}
