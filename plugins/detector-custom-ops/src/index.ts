import { definePlugin, rulesByName } from "@modelaudit/core";
import { CUSTOM_OPS_RULES, customOpsDetector } from "./custom-ops-detector.js";
import { validateOptions } from "./options.js";

export type { CustomOpsOptions } from "./options.js";
export { customOpsDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-custom-ops", version: __PACKAGE_VERSION__, namespace: "custom-ops" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  validateOptions,
  detectors: [customOpsDetector],
  rules: rulesByName(CUSTOM_OPS_RULES),
});
