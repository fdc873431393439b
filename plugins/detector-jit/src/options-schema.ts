import { positiveInteger, z } from "@modelaudit/core/options";
import { DEFAULT_ANALYSIS_OPTIONS } from "./code-issue.js";

/** `options.jit`, checked at start-up: a typo'd bound must not silently keep its default. */
export const optionsSchema = z.strictObject({
  maxCodeChars: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxCodeChars)
    .describe("Longer code is analysed up to this many characters only."),
  maxIssues: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxIssues)
    .describe("Most issues reported for one code fact."),
  maxNodes: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxNodes)
    .describe("Most syntax-tree nodes visited for one code fact."),
});
