import { optionProblems, positiveInteger, z } from "@modelaudit/core/detector";

/** Options of the binary detector, from `options.binary` in the config. */
export interface BinaryOptions {
  /** Most embedded-executable findings per source: random weights must never flood a report. */
  maxFindingsPerSource: number;
}

export const DEFAULT_OPTIONS: BinaryOptions = { maxFindingsPerSource: 3 };

export function resolveOptions(options: Readonly<Record<string, unknown>>): BinaryOptions {
  const value = options.maxFindingsPerSource;
  return {
    maxFindingsPerSource:
      typeof value === "number" && Number.isInteger(value) && value > 0 ? value : DEFAULT_OPTIONS.maxFindingsPerSource,
  };
}

/** `options.binary`, checked at start-up: a typo'd key must not silently keep its default. */
export const optionsSchema = z.strictObject({
  maxFindingsPerSource: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindingsPerSource)
    .describe("Most embedded-executable findings per source: random weights must never flood a report."),
});

export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return optionProblems(optionsSchema, options);
}
