import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { STEGO_DESCRIPTOR, STEGO_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-stego/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-stego", version: __PACKAGE_VERSION__, namespace: "stego" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(STEGO_DESCRIPTOR, () => import("./stego-detector.js").then((module) => module.stegoDetector)),
  ],
  rules: rulesByName(STEGO_RULES),
});
