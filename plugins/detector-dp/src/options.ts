/** Options of the differential-privacy detector, from `options.dp` in the config. */
export interface DpOptions {
  /** An ε above this (stated or recomputed) is over budget. */
  epsilonBudget: number;
  /** δ used to recompute ε when none is saved beside the accountant state. */
  defaultDelta: number;
  /** Findings per rule and artifact; past it, one `more` finding counts the rest. */
  maxFindingsPerRule: number;
}

export const DEFAULT_OPTIONS: DpOptions = { epsilonBudget: 10, defaultDelta: 1e-5, maxFindingsPerRule: 20 };

/** The options with defaults filled in; invalid values (already reported at start-up) fall back to defaults. */
export function readOptions(options: Readonly<Record<string, unknown>>): DpOptions {
  const positive = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
  const delta = positive(options.defaultDelta, DEFAULT_OPTIONS.defaultDelta);
  const max = options.maxFindingsPerRule;
  return {
    epsilonBudget: positive(options.epsilonBudget, DEFAULT_OPTIONS.epsilonBudget),
    defaultDelta: delta < 1 ? delta : DEFAULT_OPTIONS.defaultDelta,
    maxFindingsPerRule:
      typeof max === "number" && Number.isInteger(max) && max > 0 ? max : DEFAULT_OPTIONS.maxFindingsPerRule,
  };
}
