import { optionProblems, positiveInteger, z } from "@modelaudit/core/detector";
import { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS } from "./analysis-options.js";

/** Reads `options.template-injection` from the config, falling back to the defaults on anything odd. */
export function readOptions(raw: Readonly<Record<string, unknown>>): AnalysisOptions {
  const positiveInteger = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
  return {
    maxTemplateChars: positiveInteger(raw.maxTemplateChars, DEFAULT_ANALYSIS_OPTIONS.maxTemplateChars),
    maxIssues: positiveInteger(raw.maxIssues, DEFAULT_ANALYSIS_OPTIONS.maxIssues),
  };
}

/** `options.template-injection`, checked at start-up: a typo'd bound must not silently keep its default. */
export const optionsSchema = z.strictObject({
  maxTemplateChars: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxTemplateChars)
    .describe("Templates longer than this many characters are not parsed (unparsable-template)."),
  maxIssues: positiveInteger()
    .default(DEFAULT_ANALYSIS_OPTIONS.maxIssues)
    .describe("Most issues reported for one template."),
});

export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return optionProblems(optionsSchema, options);
}
