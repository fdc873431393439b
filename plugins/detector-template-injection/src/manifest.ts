import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { TEMPLATE_INJECTION_DESCRIPTOR, TEMPLATE_INJECTION_RULES } from "./descriptor.js";
import { optionsSchema } from "./options.js";

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
  optionsSchema,
  detectors: [
    lazyDetector(TEMPLATE_INJECTION_DESCRIPTOR, () =>
      import("./detector.js").then((module) => module.templateInjectionDetector),
    ),
  ],
  rules: rulesByName(TEMPLATE_INJECTION_RULES),
});
