import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { TEMPLATE_INJECTION_DESCRIPTOR, TEMPLATE_INJECTION_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-template-injection/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: {
    name: "@modelaudit/detector-template-injection",
    version: __PACKAGE_VERSION__,
    namespace: "template-injection",
  },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [
    lazyDetector(TEMPLATE_INJECTION_DESCRIPTOR, () =>
      import("./detector.js").then((module) => module.templateInjectionDetector),
    ),
  ],
  rules: rulesByName(TEMPLATE_INJECTION_RULES),
});
