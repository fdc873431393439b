/** Options of the quantization detector, from `options.quantization` in the config. */
export interface QuantizationOptions {
  /** A scale (tensor element or GGUF block scale) above this magnitude is extreme. */
  maxScale: number;
  /** Fraction of an int8/uint8 weight's values at the ends of its range above which it is saturated. */
  maxSaturation: number;
  /** Findings per rule and artifact; past it, one `more` finding counts the rest. */
  maxFindingsPerRule: number;
}

export const DEFAULT_OPTIONS: QuantizationOptions = { maxScale: 1e4, maxSaturation: 0.1, maxFindingsPerRule: 100 };

/** The options with defaults filled in; invalid values (already reported at start-up) fall back to defaults. */
export function readOptions(options: Readonly<Record<string, unknown>>): QuantizationOptions {
  const positive = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
  const max = options.maxFindingsPerRule;
  const saturation = positive(options.maxSaturation, DEFAULT_OPTIONS.maxSaturation);
  return {
    maxScale: positive(options.maxScale, DEFAULT_OPTIONS.maxScale),
    maxSaturation: saturation <= 1 ? saturation : DEFAULT_OPTIONS.maxSaturation,
    maxFindingsPerRule:
      typeof max === "number" && Number.isInteger(max) && max > 0 ? max : DEFAULT_OPTIONS.maxFindingsPerRule,
  };
}
