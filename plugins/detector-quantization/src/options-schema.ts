import { expected, positiveInteger, positiveNumber, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.quantization`, checked at start-up. */
export const optionsSchema = z.strictObject({
  maxScale: positiveNumber()
    .default(DEFAULT_OPTIONS.maxScale)
    .describe("A scale (tensor element or GGUF block scale) above this magnitude is extreme."),
  maxSaturation: positiveNumber()
    .max(1, { error: expected("a fraction in (0, 1]") })
    .default(DEFAULT_OPTIONS.maxSaturation)
    .describe("Fraction of an int8/uint8 weight's values at the ends of its range above which it is saturated."),
  maxFindingsPerRule: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerRule)
    .describe("Findings per rule and artifact; past it, one `more` finding counts the rest."),
});
