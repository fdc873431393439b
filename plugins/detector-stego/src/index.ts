import { definePlugin } from "@modelaudit/core";
import manifest from "./manifest.js";
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
export { DEFAULT_OPTIONS as defaultOptions, readOptions, type StegoOptions } from "./options.js";
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

/** Every part loaded now; `@modelaudit/detector-stego/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [stegoDetector] });
