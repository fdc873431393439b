import type { AnomalyCode, ParseContext } from "@modelaudit/core";

export interface Problem {
  code: AnomalyCode;
  message: string;
  offset?: number;
  path?: string;
}

/** Problems past this many are counted, not kept: a hostile file can break every element. */
const MAX_PROBLEMS = 100;

export class ProblemList {
  readonly items: Problem[] = [];
  dropped = 0;

  add(problem: Problem): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push(problem);
    else this.dropped++;
  }
}

/**
 * One anomaly per problem. Every problem here is one the TFLite runtime would refuse the model for
 * (its verifier or interpreter checks the same offsets and indices), so any problem makes the source
 * inconclusive.
 */
export function reportProblems(context: ParseContext, problems: ProblemList): void {
  for (const problem of problems.items) {
    const location: { offset?: number; path?: string } = {};
    if (problem.offset !== undefined) location.offset = problem.offset;
    if (problem.path !== undefined) location.path = problem.path;
    context.emit({ kind: "anomaly", code: problem.code, message: problem.message, location });
  }
  const [first] = problems.items;
  if (!first) return;
  const more = problems.items.length + problems.dropped - 1;
  const where = first.path && !first.message.startsWith(first.path) ? `${first.path}: ` : "";
  context.inconclusive(
    `TFLite model rejected: ${where}${first.message}${more > 0 ? ` (and ${more} more problems)` : ""}`,
  );
}
