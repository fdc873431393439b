import { API_VERSION, definePlugin } from "@modelaudit/core";
import { DP_RULES, dpDetector, UNDERSTATED_MARGIN } from "./dp-detector.js";
import { validateOptions } from "./options.js";
import claimWithoutParameters from "./rules/claim-without-parameters.js";
import epsilonOverBudget from "./rules/epsilon-over-budget.js";
import epsilonUnderstated from "./rules/epsilon-understated.js";
import zeroNoise from "./rules/zero-noise.js";

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
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [dpDetector],
  rules: {
    "epsilon-over-budget": epsilonOverBudget,
    "epsilon-understated": epsilonUnderstated,
    "zero-noise": zeroNoise,
    "claim-without-parameters": claimWithoutParameters,
  },
});
