/** `@modelaudit/core/detector`: helpers for detector authors: option checks, path patterns and evidence formatting. */
export { globToRegExp } from "../engine/glob.js";
export { lineOf, redact, truncateText } from "../findings.js";
export { positiveIntegerOption, positiveNumberOption, unknownOptions } from "../option-checks.js";
