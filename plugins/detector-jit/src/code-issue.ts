import type { Severity } from "@modelaudit/core";

export type JitRule = "dangerous-call" | "dangerous-import" | "native-library-load" | "unknown-operator";

/** One thing the analysis found in one code fact; the detector turns it into a finding. */
export interface CodeIssue {
  rule: JitRule;
  messageId: string;
  data: Record<string, string | number>;
  severity: Severity;
  confidence?: number;
  /** 1-based line and column inside the code text, when the issue sits at one place. */
  position?: { line: number; column: number };
  /** The code as written (bounded). */
  evidence: string;
}

export interface AnalysisOptions {
  /** Longer code is analysed up to this many characters only. */
  maxCodeChars: number;
  /** Most issues reported for one code fact. */
  maxIssues: number;
  /** Most syntax-tree nodes visited for one code fact. */
  maxNodes: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  maxCodeChars: 8 * 1024 * 1024,
  maxIssues: 200,
  maxNodes: 20_000_000,
};
