import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { DP_DESCRIPTOR, DP_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-dp/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-dp", version: __PACKAGE_VERSION__, namespace: "dp" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [lazyDetector(DP_DESCRIPTOR, () => import("./dp-detector.js").then((module) => module.dpDetector))],
  rules: rulesByName(DP_RULES),
});
