import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { BACKDOOR_DESCRIPTOR, BACKDOOR_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-backdoor/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-backdoor", version: __PACKAGE_VERSION__, namespace: "backdoor" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(BACKDOOR_DESCRIPTOR, () => import("./backdoor-detector.js").then((module) => module.backdoorDetector)),
  ],
  rules: rulesByName(BACKDOOR_RULES),
});
