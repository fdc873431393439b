import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { ARCHIVE_SAFETY_DESCRIPTOR, ARCHIVE_SAFETY_RULES } from "./descriptor.js";
import { optionsSchema } from "./options.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-archive-safety/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-archive-safety", version: __PACKAGE_VERSION__, namespace: "archive-safety" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Archive members (entry facts) and their labels come from the archive handlers.
  requires: ["@modelaudit/format-archive"],
  optionsSchema,
  detectors: [
    lazyDetector(ARCHIVE_SAFETY_DESCRIPTOR, () =>
      import("./archive-safety-detector.js").then((module) => module.archiveSafetyDetector),
    ),
  ],
  rules: rulesByName(ARCHIVE_SAFETY_RULES),
});
