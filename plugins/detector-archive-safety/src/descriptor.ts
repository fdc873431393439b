import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import decompressionBomb from "./rules/decompression-bomb.js";
import duplicateName from "./rules/duplicate-name.js";
import excessiveEntries from "./rules/excessive-entries.js";
import excessiveNesting from "./rules/excessive-nesting.js";
import headerMismatch from "./rules/header-mismatch.js";
import linkEscape from "./rules/link-escape.js";
import pathTraversal from "./rules/path-traversal.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const ARCHIVE_SAFETY_RULES = [
  pathTraversal,
  linkEscape,
  decompressionBomb,
  excessiveEntries,
  excessiveNesting,
  duplicateName,
  headerMismatch,
];

/** The detector as static data (its code is archive-safety-detector.ts): what the plugin's manifest registers before any file needs it. */
export const ARCHIVE_SAFETY_DESCRIPTOR: DetectorDescriptor = {
  id: "archive-safety",
  description: "Judges archive members (entry facts) and archive anomalies: traversal, links, bombs, counts, nesting.",
  facts: ["entry", "anomaly"],
  rules: ruleNames(ARCHIVE_SAFETY_RULES),
};
