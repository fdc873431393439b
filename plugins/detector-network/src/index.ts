import { definePlugin, rulesByName } from "@modelaudit/core";
import { NETWORK_RULES, networkDetector } from "./network-detector.js";

export type { NetworkOptions } from "./options.js";
export { networkDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-network", version: __PACKAGE_VERSION__, namespace: "network" },
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [networkDetector],
  rules: rulesByName(NETWORK_RULES),
});
