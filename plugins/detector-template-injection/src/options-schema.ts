import { positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_ANALYSIS_OPTIONS } from "./analysis-options.js";

/** `options.template-injection`, checked at start-up: a typo'd bound must not silently keep its default. */
export const optionsSchema = z.strictObject({
  maxTemplateChars: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxTemplateChars)
    .describe("Templates longer than this many characters are not parsed (unparsable-template)."),
  maxIssues: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxIssues)
    .describe("Most issues reported for one template."),
});
