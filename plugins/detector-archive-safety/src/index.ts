import { definePlugin, rulesByName } from "@modelaudit/core";
import { archiveSafetyDetector } from "./archive-safety-detector.js";
import { validateOptions } from "./options.js";
import decompressionBomb from "./rules/decompression-bomb.js";
import duplicateName from "./rules/duplicate-name.js";
import excessiveEntries from "./rules/excessive-entries.js";
import excessiveNesting from "./rules/excessive-nesting.js";
import headerMismatch from "./rules/header-mismatch.js";
import linkEscape from "./rules/link-escape.js";
import pathTraversal from "./rules/path-traversal.js";

export { type ArchiveSafetyOptions, DEFAULT_OPTIONS as defaultOptions } from "./options.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-archive-safety", version: __PACKAGE_VERSION__, namespace: "archive-safety" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Archive members (entry facts) and their labels come from the archive handlers.
  requires: ["@modelaudit/format-archive"],
  validateOptions,
  detectors: [archiveSafetyDetector],
  rules: rulesByName([
    pathTraversal,
    linkEscape,
    decompressionBomb,
    excessiveEntries,
    excessiveNesting,
    duplicateName,
    headerMismatch,
  ]),
});
