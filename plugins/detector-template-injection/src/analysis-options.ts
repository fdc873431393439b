// Its own module so that the options check (loaded at start-up) does not import the analysis.

export interface AnalysisOptions {
  /** Templates longer than this many characters are not parsed. */
  maxTemplateChars: number;
  /** Most issues reported for one template. */
  maxIssues: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = { maxTemplateChars: 1024 * 1024, maxIssues: 30 };
