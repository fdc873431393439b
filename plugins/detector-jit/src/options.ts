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
