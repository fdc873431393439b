import { definePlugin, lazyDetector, rulesByName } from "@modelaudit/core";
import { JIT_DESCRIPTOR, JIT_RULES } from "./descriptor.js";

/**
 * The plugin as the recommended preset loads it (`@modelaudit/detector-jit/manifest`): meta, rules and the
 * detector's descriptor now, the detector's code on the first fact a file gives it (start-up).
 */
export default definePlugin({
  meta: { name: "@modelaudit/detector-jit", version: __PACKAGE_VERSION__, namespace: "jit" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [lazyDetector(JIT_DESCRIPTOR, () => import("./detector.js").then((module) => module.jitDetector))],
  rules: rulesByName(JIT_RULES),
});
