import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import brokenScaleRule from "./rules/broken-scale.js";
import dtypeMismatchRule from "./rules/dtype-mismatch.js";
import int8RangeRule from "./rules/int8-range.js";
import nonFiniteWeightsRule from "./rules/non-finite-weights.js";
import prunedRowsRule from "./rules/pruned-rows.js";
import zeroPointRangeRule from "./rules/zero-point-range.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const QUANTIZATION_RULES = [
  brokenScaleRule,
  zeroPointRangeRule,
  int8RangeRule,
  dtypeMismatchRule,
  nonFiniteWeightsRule,
  prunedRowsRule,
] as const;

/** The detector as static data (its code is quantization-detector.ts): what the plugin's manifest registers before any file needs it. */
export const QUANTIZATION_DESCRIPTOR: DetectorDescriptor = {
  id: "quantization",
  description:
    "Reads quantized models' parameters: scale tensors and GGUF block scales (non-finite, zero, negative, extreme), zero points outside their integer range, int8/uint8 weights saturated or barely using their range, config dtypes and quantization methods the weights contradict, NaN/Inf weights and zero-row pruning masks.",
  facts: ["text", "tensor", "call"],
  tensors: {},
  levels: ["standard", "thorough"],
  rules: ruleNames(QUANTIZATION_RULES),
};
