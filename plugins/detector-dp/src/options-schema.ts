import { expected, positiveInteger, positiveNumber, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.dp`, checked at start-up. */
export const optionsSchema = z.strictObject({
  epsilonBudget: positiveNumber()
    .default(DEFAULT_OPTIONS.epsilonBudget)
    .describe("An epsilon above this (stated or recomputed) is over budget."),
  defaultDelta: positiveNumber()
    .lt(1, { error: expected("a probability below 1") })
    .default(DEFAULT_OPTIONS.defaultDelta)
    .describe("Delta used to recompute epsilon when none is saved beside the accountant state."),
  maxFindingsPerRule: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerRule)
    .describe("Findings per rule and artifact; past it, one `more` finding counts the rest."),
});
