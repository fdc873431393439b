/** `@modelaudit/core/format`: helpers for format-handler authors: bounded reading and parsing, and problem reporting. */
export { firstSignificantChar, JsonProblem, parseBoundedJson } from "../bounded-json.js";
export { type ResolvedBesideModel, resolveBesideModel } from "../linked-path.js";
export { ProblemList, reportProblems, StopParsing } from "../problems.js";
export { readWhole } from "../read-whole.js";
export { readAll } from "../source.js";
