import { definePlugin, rulesByName } from "@modelaudit/core";
import { DP_RULES, dpDetector, UNDERSTATED_MARGIN } from "./dp-detector.js";
import { validateOptions } from "./options.js";

export { DpEvidence, type Sighting } from "./evidence.js";
export { DEFAULT_OPTIONS as defaultOptions, type DpOptions, readOptions } from "./options.js";
export {
  DEFAULT_ORDERS,
  epsilonFromRdp,
  epsilonOf,
  historyProblem,
  logErfc,
  type MechanismRun,
  rdpOf,
  rdpOfStep,
} from "./rdp.js";
export { DP_RULES, dpDetector, UNDERSTATED_MARGIN };

export default definePlugin({
  meta: { name: "@modelaudit/detector-dp", version: __PACKAGE_VERSION__, namespace: "dp" },
  apiVersion: 1,
  validateOptions,
  detectors: [dpDetector],
  rules: rulesByName(DP_RULES),
});
