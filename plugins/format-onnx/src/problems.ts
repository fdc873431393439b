import type { AnomalyCode, ParseContext } from "@modelaudit/core";

export interface Problem {
  code: AnomalyCode;
  message: string;
  offset?: number;
  path?: string;
  /** True when an ONNX loader would refuse the model for this (or we could not read it to the end). */
  rejects: boolean;
}

/** Raised when the structure cannot be followed any further. */
export class StopParsing extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = "StopParsing";
  }
}

export class ProblemList {
  readonly items: Problem[] = [];

  add(code: AnomalyCode, message: string, where: { offset?: number; path?: string } = {}, rejects = true): void {
    this.items.push({ code, message, rejects, ...where });
  }

  stop(code: AnomalyCode, message: string, where: { offset?: number; path?: string } = {}): never {
    throw new StopParsing({ code, message, rejects: true, ...where });
  }
}

/** One anomaly per problem; the source is inconclusive when any problem means the model was not fully read. */
export function reportProblems(context: ParseContext, problems: readonly Problem[]): void {
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
    context.inconclusive(`ONNX model not fully decoded: ${refusals[0]}${more}`);
  }
}
