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
