import { API_VERSION, definePlugin } from "@modelaudit/core";
import { validateOptions } from "./options.js";
import hiddenFile from "./rules/hidden-file.js";
import hiddenText from "./rules/hidden-text.js";
import lowBitAnomaly from "./rules/low-bit-anomaly.js";
import lowBitPeriodic from "./rules/low-bit-periodic.js";
import { stegoDetector } from "./stego-detector.js";

export { decodedText, describePlane, HiddenPlaneReader, SIGNATURE_WINDOW } from "./hidden-planes.js";
export {
  hasLowBitStatistics,
  type LowBitAnomaly,
  LowBitHistogram,
  MAX_P_VALUE,
  MAX_SIGNAL_RATIO,
  MIN_EXPECTED_Z,
} from "./low-bit-statistics.js";
export { DEFAULT_OPTIONS as defaultOptions, readOptions, type StegoOptions, validateOptions } from "./options.js";
export { erfc, formatP, lowerTail, upperTail } from "./p-value.js";
export { LsbPeriodicity, type Periodicity } from "./periodicity.js";
export {
  base64Run,
  decodeBase64,
  looksLikeText,
  MIN_TEXT_RUN,
  PrintableRunCounter,
  type TextRun,
} from "./printable-run.js";
export { STEGO_RULES } from "./stego-detector.js";
export { stegoDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-stego", version: __PACKAGE_VERSION__, namespace: "stego" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [stegoDetector],
  rules: {
    "hidden-file": hiddenFile,
    "hidden-text": hiddenText,
    "low-bit-anomaly": lowBitAnomaly,
    "low-bit-periodic": lowBitPeriodic,
  },
});
