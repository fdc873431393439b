import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import hiddenFileRule from "./rules/hidden-file.js";
import hiddenTextRule from "./rules/hidden-text.js";
import lowBitAnomalyRule from "./rules/low-bit-anomaly.js";
import lowBitPeriodicRule from "./rules/low-bit-periodic.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const STEGO_RULES = [hiddenFileRule, hiddenTextRule, lowBitAnomalyRule, lowBitPeriodicRule] as const;

/** The detector as static data (its code is stego-detector.ts): what the plugin's manifest registers before any file needs it. */
export const STEGO_DESCRIPTOR: DetectorDescriptor = {
  id: "stego",
  description:
    "Reads the low bits of every float and integer tensor: 1/2/4/8-bit planes reassembled and checked for file headers, text and base64; the low bits tested against what the high bits predict and for periodic patterns.",
  facts: [],
  tensors: { classes: ["float", "integer"] },
  levels: ["standard", "thorough"],
  rules: ruleNames(STEGO_RULES),
};
