/** Options of the crypto detector, from `options.crypto` in the config. */
export interface CryptoOptions {
  /** Findings per rule and artifact; past it, one `more` finding counts the rest. */
  maxFindingsPerRule: number;
  /** Look at the files beside a scanned key file for encrypted weights (reads directory names only). */
  checkSiblings: boolean;
}

export const DEFAULT_OPTIONS: CryptoOptions = { maxFindingsPerRule: 50, checkSiblings: true };

/** The options with defaults filled in; invalid values (already reported at start-up) fall back to defaults. */
export function readOptions(options: Readonly<Record<string, unknown>>): CryptoOptions {
  const max = options.maxFindingsPerRule;
  return {
    maxFindingsPerRule:
      typeof max === "number" && Number.isInteger(max) && max > 0 ? max : DEFAULT_OPTIONS.maxFindingsPerRule,
    checkSiblings: typeof options.checkSiblings === "boolean" ? options.checkSiblings : DEFAULT_OPTIONS.checkSiblings,
  };
}
