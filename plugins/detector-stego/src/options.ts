/** Options of the stego detector, from `options.stego` in the config. */
export interface StegoOptions {
  /** Findings per rule and artifact; past it, one `more` finding counts the rest. */
  maxFindingsPerRule: number;
  /** Run the statistical tests (low-bit-anomaly, low-bit-periodic); the header and text checks always run. */
  statistics: boolean;
}

export const DEFAULT_OPTIONS: StegoOptions = { maxFindingsPerRule: 100, statistics: true };

/** The options with defaults filled in; invalid values (reported at start-up) fall back to defaults. */
export function readOptions(options: Readonly<Record<string, unknown>>): StegoOptions {
  const max = options.maxFindingsPerRule;
  return {
    maxFindingsPerRule:
      typeof max === "number" && Number.isInteger(max) && max > 0 ? max : DEFAULT_OPTIONS.maxFindingsPerRule,
    statistics: typeof options.statistics === "boolean" ? options.statistics : DEFAULT_OPTIONS.statistics,
  };
}
