import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { QUANTIZATION_DESCRIPTOR, QUANTIZATION_RULES } from "./descriptor.js";
import { optionsSchema } from "./options.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-quantization/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-quantization", version: __PACKAGE_VERSION__, namespace: "quantization" },
  apiVersion: 1,
  optionsSchema,
  detectors: [
    lazyDetector(QUANTIZATION_DESCRIPTOR, () =>
      import("./quantization-detector.js").then((module) => module.quantizationDetector),
    ),
  ],
  rules: rulesByName(QUANTIZATION_RULES),
});
