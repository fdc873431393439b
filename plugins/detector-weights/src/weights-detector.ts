import type { Detector, DetectorContext, DetectorRun, Fact, Origin, ReportInput } from "@modelaudit/core";
import { floatFormatOf, HOST_IS_LITTLE_ENDIAN } from "./float-formats.js";
import { SourceTensors, type TrackedTensor } from "./tensor-ranges.js";
import { judgeTensor } from "./tensor-verdicts.js";

/** Tensors tracked per artifact; the rest are left unjudged. */
export const MAX_TRACKED_TENSORS = 100_000;
/** Findings per rule and artifact; past it, one `more` finding counts the rest. */
export const MAX_FINDINGS_PER_RULE = 100;

export const WEIGHTS_RULES = ["hidden-payload", "non-finite-weights", "weight-outliers"] as const;

export const weightsDetector: Detector = {
  id: "weights",
  description:
    "Reads the data of float tensors (float32/float16/bfloat16/float64) at the thorough scan level: non-finite values, data hidden in low-order bits, statistical outliers and constant layers.",
  facts: ["tensor"],
  bytes: true,
  // Tensor data reaches byte detectors only at the thorough level.
  levels: ["thorough"],
  rules: WEIGHTS_RULES,
  create(context: DetectorContext): DetectorRun {
    // Only the thorough level streams tensor data; anywhere else the detector has nothing to read and
    // says nothing (no byte hook, so the engine does not feed it bytes).
    if (context.level !== "thorough" || !HOST_IS_LITTLE_ENDIAN) return {};
    return new WeightsRun(context);
  },
};

class WeightsRun implements DetectorRun {
  private readonly sources = new Map<string, SourceTensors>();
  private tracked = 0;
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();

  constructor(private readonly context: DetectorContext) {}

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind !== "tensor" || fact.dataOffset === undefined || fact.dataLength === undefined) return;
    const format = floatFormatOf(fact.dtype);
    if (format === null || fact.dataLength < format.size) return;
    if (this.tracked >= MAX_TRACKED_TENSORS) {
      if (this.tracked++ === MAX_TRACKED_TENSORS) {
        this.context.inconclusive(`more than ${MAX_TRACKED_TENSORS} float tensors; the rest were not judged`, origin);
      }
      return;
    }
    this.tracked++;
    const key = sourceKey(origin);
    let tensors = this.sources.get(key);
    if (!tensors) {
      tensors = new SourceTensors((tensor, result) => this.judge(tensor, result));
      this.sources.set(key, tensors);
    }
    const tensor: TrackedTensor = {
      fact,
      format,
      start: fact.dataOffset,
      end: fact.dataOffset + fact.dataLength,
      origin,
    };
    tensors.add(tensor);
  }

  onBytes(chunk: Uint8Array, offset: number, origin: Origin): void {
    this.sources.get(sourceKey(origin))?.push(chunk, offset);
  }

  onBytesEnd(origin: Origin): void {
    const key = sourceKey(origin);
    const tensors = this.sources.get(key);
    tensors?.end();
    if (tensors && tensors.skipped > 0) {
      this.context.inconclusive(
        `${tensors.skipped} float tensor(s) were not judged (overlapping ranges, more than the bounded number read at once, or bytes that never arrived)`,
        origin,
      );
    }
    this.sources.delete(key);
  }

  finish(): void {
    this.sources.clear();
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  private judge(tensor: TrackedTensor, result: Parameters<typeof judgeTensor>[1]): void {
    for (const verdict of judgeTensor(tensor, result)) {
      const count = (this.reported.get(verdict.rule) ?? 0) + 1;
      this.reported.set(verdict.rule, count);
      if (count > MAX_FINDINGS_PER_RULE) {
        const overflow = this.overflow.get(verdict.rule) ?? { count: 0, origin: tensor.origin };
        overflow.count++;
        this.overflow.set(verdict.rule, overflow);
        continue;
      }
      const report: ReportInput = { ...verdict, origin: tensor.origin };
      this.context.report(report);
    }
  }
}

function sourceKey(origin: Origin): string {
  return origin.memberChain.join("\0");
}
