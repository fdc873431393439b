/** `@modelaudit/core/format`: helpers for format-handler authors: bounded parsing and problem reporting. */
export * from "../bounded-json.js";
export { type Problem, ProblemList, reportProblems, StopParsing } from "../problems.js";
export { readWhole } from "../read-whole.js";
