import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { CODE_EXECUTION_DESCRIPTOR, CODE_EXECUTION_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-code-execution/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-code-execution", version: __PACKAGE_VERSION__, namespace: "code-execution" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(CODE_EXECUTION_DESCRIPTOR, () =>
      import("./detector.js").then((module) => module.codeExecutionDetector),
    ),
  ],
  rules: rulesByName(CODE_EXECUTION_RULES),
});
