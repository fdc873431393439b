import { definePlugin } from "@modelaudit/core";
import manifest from "./manifest.js";
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

/** Every part loaded now; `@modelaudit/detector-quantization/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [quantizationDetector] });
