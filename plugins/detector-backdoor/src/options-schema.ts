import { positiveInteger, positiveNumber, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.backdoor`, checked at start-up. */
export const optionsSchema = z.strictObject({
  threshold: positiveNumber()
    .default(DEFAULT_OPTIONS.threshold)
    .describe(
      "Robust z-score (median and MAD) beyond which a row norm is an outlier, for layers of 32+ rows; raised for fewer.",
    ),
  maxFindingsPerRule: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerRule)
    .describe("Findings per rule and artifact; past it, one `more` finding counts the rest."),
});
