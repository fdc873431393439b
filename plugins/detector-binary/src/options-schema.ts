import { positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

/** `options.binary`, checked at start-up: a typo'd key must not silently keep its default. */
export const optionsSchema = z.strictObject({
  maxFindingsPerSource: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerSource)
    .describe("Most embedded-executable findings per source: random weights must never flood a report."),
});
