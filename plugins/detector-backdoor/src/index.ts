import { definePlugin, rulesByName } from "@modelaudit/core";
import { BACKDOOR_RULES, backdoorDetector } from "./backdoor-detector.js";
import { optionsSchema } from "./options.js";

export {
  biasOutlier as checkBias,
  classifierRows,
  crossLayer as checkCrossLayer,
  dominatedRows,
  duplicateRows,
  type Layer,
  outlierNeurons,
  pruningMask as checkPruningMask,
  triggerPatch as checkTriggerPatch,
} from "./checks.js";
export { type BackdoorOptions, DEFAULT_OPTIONS as defaultOptions, readOptions, validateOptions } from "./options.js";
export { center, leaveOneOutScores, thresholdFor } from "./robust.js";
export { RowExtras } from "./row-extras.js";
export { BACKDOOR_RULES, backdoorDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-backdoor", version: __PACKAGE_VERSION__, namespace: "backdoor" },
  apiVersion: 1,
  optionsSchema,
  detectors: [backdoorDetector],
  rules: rulesByName(BACKDOOR_RULES),
});
