import { API_VERSION, definePlugin } from "@modelaudit/core";
import { validateOptions } from "./options.js";
import { QUANTIZATION_RULES, quantizationDetector } from "./quantization-detector.js";
import brokenScale from "./rules/broken-scale.js";
import dtypeMismatch from "./rules/dtype-mismatch.js";
import int8Range from "./rules/int8-range.js";
import nonFiniteWeights from "./rules/non-finite-weights.js";
import prunedRows from "./rules/pruned-rows.js";
import zeroPointRange from "./rules/zero-point-range.js";

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
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [quantizationDetector],
  rules: {
    "broken-scale": brokenScale,
    "zero-point-range": zeroPointRange,
    "int8-range": int8Range,
    "dtype-mismatch": dtypeMismatch,
    "non-finite-weights": nonFiniteWeights,
    "pruned-rows": prunedRows,
  },
});
