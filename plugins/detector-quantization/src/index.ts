import { definePlugin, rulesByName } from "@modelaudit/core";
import { optionsSchema } from "./options.js";
import { QUANTIZATION_RULES, quantizationDetector } from "./quantization-detector.js";

export { BlockScales, hasBlockScales } from "./block-scales.js";
export { claimKind, DtypeCensus, type DtypeVerdict } from "./dtype-claims.js";
export { judgeRange, type RangeUse, rangeUse } from "./int-range.js";
export { isScaleName, isZeroPointName, layerOf } from "./names.js";
export { judgeNonFinite } from "./non-finite.js";
export { DEFAULT_OPTIONS as defaultOptions, type QuantizationOptions, readOptions } from "./options.js";
export { prunedRows } from "./pruned-rows.js";
export { ScaleValues } from "./scale-values.js";
export { QUANTIZATION_RULES, quantizationDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-quantization", version: __PACKAGE_VERSION__, namespace: "quantization" },
  apiVersion: 1,
  optionsSchema,
  detectors: [quantizationDetector],
  rules: rulesByName(QUANTIZATION_RULES),
});
