import { definePlugin, rulesByName } from "@modelaudit/core";
import { NETWORK_RULES, networkDetector } from "./network-detector.js";
import { optionsSchema } from "./options.js";

export type { NetworkOptions } from "./options.js";
export { networkDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-network", version: __PACKAGE_VERSION__, namespace: "network" },
  apiVersion: 1,
  optionsSchema,
  detectors: [networkDetector],
  rules: rulesByName(NETWORK_RULES),
});
