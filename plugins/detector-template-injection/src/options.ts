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
