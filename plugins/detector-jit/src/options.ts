import { optionProblems, positiveInteger, z } from "@modelaudit/core/detector";
import { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS } from "./code-issue.js";

/** Reads `options.jit` from the config, falling back to the defaults on anything odd. */
export function readOptions(raw: Readonly<Record<string, unknown>>): AnalysisOptions {
  const positiveInteger = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
  return {
    maxCodeChars: positiveInteger(raw.maxCodeChars, DEFAULT_ANALYSIS_OPTIONS.maxCodeChars),
    maxIssues: positiveInteger(raw.maxIssues, DEFAULT_ANALYSIS_OPTIONS.maxIssues),
    maxNodes: positiveInteger(raw.maxNodes, DEFAULT_ANALYSIS_OPTIONS.maxNodes),
  };
}

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

export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return optionProblems(optionsSchema, options);
}
