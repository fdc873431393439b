import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { CUSTOM_OPS_DESCRIPTOR, CUSTOM_OPS_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-custom-ops/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-custom-ops", version: __PACKAGE_VERSION__, namespace: "custom-ops" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(CUSTOM_OPS_DESCRIPTOR, () =>
      import("./custom-ops-detector.js").then((module) => module.customOpsDetector),
    ),
  ],
  rules: rulesByName(CUSTOM_OPS_RULES),
});
