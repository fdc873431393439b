import { API_VERSION, definePlugin } from "@modelaudit/core";
import { BACKDOOR_RULES, backdoorDetector } from "./backdoor-detector.js";
import { validateOptions } from "./options.js";
import biasOutlier from "./rules/bias-outlier.js";
import classifierRow from "./rules/classifier-row.js";
import crossLayer from "./rules/cross-layer.js";
import dominatedRow from "./rules/dominated-row.js";
import duplicateNeurons from "./rules/duplicate-neurons.js";
import outlierNeuron from "./rules/outlier-neuron.js";
import pruningMask from "./rules/pruning-mask.js";
import triggerPatch from "./rules/trigger-patch.js";

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
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [backdoorDetector],
  rules: {
    "bias-outlier": biasOutlier,
    "classifier-row": classifierRow,
    "cross-layer": crossLayer,
    "dominated-row": dominatedRow,
    "duplicate-neurons": duplicateNeurons,
    "outlier-neuron": outlierNeuron,
    "pruning-mask": pruningMask,
    "trigger-patch": triggerPatch,
  },
});
