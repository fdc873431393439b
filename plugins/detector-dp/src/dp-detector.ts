import type { Detector, DetectorContext, DetectorRun, Fact, Origin, ReportInput } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { DP_DESCRIPTOR, DP_RULES } from "./descriptor.js";
import { DpEvidence, type Sighting } from "./evidence.js";
import { type DpOptions, readOptions } from "./options.js";
import { epsilonOf, historyProblem, type MechanismRun } from "./rdp.js";

type RuleName = (typeof DP_RULES)[number]["name"];
type Verdict = Omit<ReportInput, "rule"> & { rule: RuleName };

/** A stated ε counts as lower than the recomputed one beyond this relative margin (rounding in reports). */
export const UNDERSTATED_MARGIN = 0.01;
/** Steps beyond this are not an accountant's (a corrupt or hostile count): not recomputed. */
const MAX_STEPS = 1e9;

export const dpDetector: Detector = {
  ...DP_DESCRIPTOR,
  create(context: DetectorContext): DetectorRun {
    return new DpRun(context, readOptions(context.options));
  },
};

class DpRun implements DetectorRun {
  private readonly evidence = new DpEvidence();
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();

  constructor(
    private readonly context: DetectorContext,
    private readonly options: DpOptions,
  ) {}

  onFact(fact: Fact, origin: Origin): void {
    if (fact.kind !== "text") return;
    this.evidence.add(fact, origin);
  }

  finish(): void {
    const evidence = this.evidence;
    if (!evidence.aboutDp) return;
    const historyAt = evidence.historyOrigin();
    if (evidence.historyDropped && historyAt) {
      this.context.inconclusive(
        `privacy accountant ${historyAt.key}: more than 64 history entries; ε was recomputed from the first 64 only`,
        historyAt.origin,
      );
    }
    if (evidence.incompleteHistory > 0 && historyAt) {
      this.context.inconclusive(
        `privacy accountant ${historyAt.key}: ${evidence.incompleteHistory} history entries lack a noise multiplier, sampling rate or step count (or hold values that are not numbers); they were not accounted`,
        historyAt.origin,
      );
    }
    const epsilons = evidence.values("epsilon", true).filter((sighting) => sighting.value >= 0);
    const deltas = evidence.values("delta", true).filter((sighting) => sighting.value > 0 && sighting.value < 1);
    const noises = evidence.values("noise", true);
    const history = this.runs();

    const zero = noises.find((sighting) => sighting.value === 0);
    const zeroRun = history?.runs.find((run) => run.noiseMultiplier === 0 && run.steps > 0 && run.sampleRate > 0);
    if (zero || zeroRun) {
      const where = zero ?? null;
      this.report({
        rule: "zero-noise",
        messageId: "zero",
        data: {
          key: where ? truncateText(where.key, 120) : `${history!.key} (accountant history)`,
          epsilon: epsilons[0] ? number(epsilons[0].value) : "none stated",
        },
        origin: where?.origin ?? history!.origin,
        ...(where?.location ? { location: where.location } : {}),
      });
    } else if (history) {
      const problem = historyProblem(history.runs);
      if (problem) {
        this.context.inconclusive(
          `privacy accountant ${history.key}: ${problem}; ε was not recomputed`,
          history.origin,
        );
      } else {
        this.judgeRecomputed(history, epsilons, deltas[0]);
      }
    }

    if (!zero && !zeroRun) {
      for (const stated of epsilons) {
        if (stated.value <= this.options.epsilonBudget) continue;
        this.report({
          rule: "epsilon-over-budget",
          messageId: "stated",
          data: {
            key: truncateText(stated.key, 120),
            epsilon: number(stated.value),
            budget: this.options.epsilonBudget,
          },
          origin: stated.origin,
          ...(stated.location ? { location: stated.location } : {}),
        });
      }
    }

    if (evidence.claims.length > 0 && epsilons.length === 0 && noises.length === 0 && history === null) {
      const claim = evidence.claims[0]!;
      this.report({
        rule: "claim-without-parameters",
        messageId: "noParameters",
        data: { claim: truncateText(claim.text, 120) },
        origin: claim.origin,
        ...(claim.location ? { location: claim.location } : {}),
      });
    }

    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  /** The accountant history, or one run built from a saved σ, q and step count. */
  private runs(): { runs: MechanismRun[]; key: string; origin: Origin } | null {
    const evidence = this.evidence;
    const runs = evidence.historyRuns();
    const historyAt = evidence.historyOrigin();
    if (runs.length > 0 && historyAt) return { runs, ...historyAt };
    const [noise] = evidence.values("noise", true);
    const [sampleRate] = evidence.values("sampleRate", true);
    const [steps] = evidence.values("steps", true);
    if (!noise || !sampleRate || !steps) return null;
    return {
      runs: [{ noiseMultiplier: noise.value, sampleRate: sampleRate.value, steps: steps.value }],
      key: `${noise.key}, ${sampleRate.key}, ${steps.key}`,
      origin: noise.origin,
    };
  }

  private judgeRecomputed(
    history: { runs: MechanismRun[]; key: string; origin: Origin },
    epsilons: Sighting[],
    delta: Sighting | undefined,
  ): void {
    const steps = history.runs.reduce((sum, run) => sum + run.steps, 0);
    if (steps > MAX_STEPS) {
      this.context.inconclusive(
        `privacy accountant ${history.key}: ${steps} steps; ε was not recomputed`,
        history.origin,
      );
      return;
    }
    const deltaValue = delta?.value ?? this.options.defaultDelta;
    const { epsilon, order } = epsilonOf(history.runs, deltaValue);
    const described = {
      history: truncateText(
        history.runs
          .map((run) => `(σ ${number(run.noiseMultiplier)}, q ${number(run.sampleRate)}, ${run.steps} steps)`)
          .join(", "),
        200,
      ),
      source: truncateText(history.key, 120),
      delta: number(deltaValue),
      deltaSource: delta ? `saved at ${truncateText(delta.key, 80)}` : "assumed: none saved",
      recomputed: number(epsilon),
      order: order === null ? "none" : number(order),
    };
    for (const stated of epsilons) {
      if (!(stated.value < epsilon * (1 - UNDERSTATED_MARGIN))) continue;
      this.report({
        rule: "epsilon-understated",
        messageId: "understated",
        data: { ...described, key: truncateText(stated.key, 120), epsilon: number(stated.value) },
        origin: stated.origin,
        ...(stated.location ? { location: stated.location } : {}),
      });
    }
    // A stated ε over budget is reported by itself; the recomputed one only when no stated value already is.
    const statedOver = epsilons.some((stated) => stated.value > this.options.epsilonBudget);
    if (epsilon > this.options.epsilonBudget && !statedOver) {
      this.report({
        rule: "epsilon-over-budget",
        messageId: "recomputed",
        data: { ...described, budget: this.options.epsilonBudget },
        origin: history.origin,
        location: { path: history.key },
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

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

export { DP_RULES };
