/** Options of the backdoor detector, from `options.backdoor` in the config. */
export interface BackdoorOptions {
  /** Robust z-score (median and MAD) beyond which a row norm is an outlier, for layers of 32+ rows; raised for fewer. */
  threshold: number;
  /** Findings per rule and artifact; past it, one `more` finding counts the rest. */
  maxFindingsPerRule: number;
}

export const DEFAULT_OPTIONS: BackdoorOptions = { threshold: 6, maxFindingsPerRule: 100 };

/** The options with defaults filled in; invalid values (reported at start-up) fall back to defaults. */
export function readOptions(options: Readonly<Record<string, unknown>>): BackdoorOptions {
  const { threshold, maxFindingsPerRule: max } = options;
  return {
    threshold:
      typeof threshold === "number" && Number.isFinite(threshold) && threshold > 0
        ? threshold
        : DEFAULT_OPTIONS.threshold,
    maxFindingsPerRule:
      typeof max === "number" && Number.isInteger(max) && max > 0 ? max : DEFAULT_OPTIONS.maxFindingsPerRule,
  };
}
