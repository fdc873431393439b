import { definePlugin, rulesByName } from "@modelaudit/core";
import { ARCHIVE_SAFETY_RULES, archiveSafetyDetector } from "./archive-safety-detector.js";
import { validateOptions } from "./options.js";

export { type ArchiveSafetyOptions, DEFAULT_OPTIONS as defaultOptions } from "./options.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-archive-safety", version: __PACKAGE_VERSION__, namespace: "archive-safety" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Archive members (entry facts) and their labels come from the archive handlers.
  requires: ["@modelaudit/format-archive"],
  validateOptions,
  detectors: [archiveSafetyDetector],
  rules: rulesByName(ARCHIVE_SAFETY_RULES),
});
