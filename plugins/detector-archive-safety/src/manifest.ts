import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { ARCHIVE_SAFETY_DESCRIPTOR, ARCHIVE_SAFETY_RULES } from "./descriptor.js";

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
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(ARCHIVE_SAFETY_DESCRIPTOR, () =>
      import("./archive-safety-detector.js").then((module) => module.archiveSafetyDetector),
    ),
  ],
  rules: rulesByName(ARCHIVE_SAFETY_RULES),
});
