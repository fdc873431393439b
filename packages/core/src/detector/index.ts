/** `@modelaudit/core/detector`: helpers for detector authors: option checks and evidence formatting. */
export { lineOf, redact, truncateText } from "../findings.js";
export { positiveIntegerOption, positiveNumberOption, unknownOptions } from "../option-checks.js";
