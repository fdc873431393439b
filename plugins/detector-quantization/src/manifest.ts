import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { QUANTIZATION_DESCRIPTOR, QUANTIZATION_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-quantization/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-quantization", version: __PACKAGE_VERSION__, namespace: "quantization" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(QUANTIZATION_DESCRIPTOR, () =>
      import("./quantization-detector.js").then((module) => module.quantizationDetector),
    ),
  ],
  rules: rulesByName(QUANTIZATION_RULES),
});
