import type { AnomalyCode } from "./facts.js";
import type { ParseContext } from "./plugin.js";

export interface Problem {
  code: AnomalyCode;
  message: string;
  offset?: number;
  path?: string;
  /** True when the reference loader would refuse the file for this (or it could not be read to the end). */
  rejects: boolean;
}

/** Raised when the structure cannot be followed any further (every later offset would be a guess). */
export class StopParsing extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = "StopParsing";
  }
}

/** Problems collected during one parse; `stop` ends the parse where offsets can no longer be trusted. */
export class ProblemList {
  readonly items: Problem[] = [];

  add(code: AnomalyCode, message: string, where: { offset?: number; path?: string } = {}, rejects = true): void {
    this.items.push({ code, message, rejects, ...where });
  }

  /** Records the problem and stops the parse. */
  stop(code: AnomalyCode, message: string, where: { offset?: number; path?: string } = {}): never {
    throw new StopParsing({ code, message, rejects: true, ...where });
  }
}

/**
 * Structural problems a handler collects while parsing: one anomaly each, and the source is
 * inconclusive (named by `label`) when any of them means a loader would refuse it.
 */
export function reportProblems(context: ParseContext, problems: readonly Problem[], label: string): void {
  const refusals: string[] = [];
  for (const problem of problems) {
    const location: { offset?: number; path?: string } = {};
    if (problem.offset !== undefined) location.offset = problem.offset;
    if (problem.path !== undefined) location.path = problem.path;
    context.emit({ kind: "anomaly", code: problem.code, message: problem.message, location });
    if (problem.rejects) refusals.push(problem.message);
  }
  if (refusals.length > 0) {
    const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more problems)` : "";
    context.inconclusive(`${label}: ${refusals[0]}${more}`);
  }
}
