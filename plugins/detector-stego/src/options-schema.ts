import { flag, positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.stego`, checked at start-up. */
export const optionsSchema = z.strictObject({
  maxFindingsPerRule: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerRule)
    .describe("Findings per rule and artifact; past it, one `more` finding counts the rest."),
  statistics: flag()
    .default(DEFAULT_OPTIONS.statistics)
    .describe("Run the statistical tests (low-bit-anomaly, low-bit-periodic); the header and text checks always run."),
});
