import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import biasOutlierRule from "./rules/bias-outlier.js";
import classifierRowRule from "./rules/classifier-row.js";
import crossLayerRule from "./rules/cross-layer.js";
import dominatedRowRule from "./rules/dominated-row.js";
import duplicateNeuronsRule from "./rules/duplicate-neurons.js";
import outlierNeuronRule from "./rules/outlier-neuron.js";
import pruningMaskRule from "./rules/pruning-mask.js";
import triggerPatchRule from "./rules/trigger-patch.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const BACKDOOR_RULES = [
  biasOutlierRule,
  classifierRowRule,
  crossLayerRule,
  dominatedRowRule,
  duplicateNeuronsRule,
  outlierNeuronRule,
  pruningMaskRule,
  triggerPatchRule,
] as const;

/** The detector as static data (its code is backdoor-detector.ts): what the plugin's manifest registers before any file needs it. */
export const BACKDOOR_DESCRIPTOR: DetectorDescriptor = {
  id: "backdoor",
  description:
    "Reads the values of float and 8/16-bit integer weights: output neurons and filters whose norm is a robust outlier in their layer, rows one value dominates, odd classifier rows, biases far out of range, duplicated neurons, trigger-shaped patches in first convolutions and embeddings, pruning-shaped masks; at thorough, paths amplified at both ends of two consecutive layers.",
  facts: [],
  tensors: { classes: ["float", "integer", "quantized"], minElements: 4 },
  levels: ["standard", "thorough"],
  rules: ruleNames(BACKDOOR_RULES),
};
