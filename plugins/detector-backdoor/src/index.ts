import { definePlugin } from "@modelaudit/core";
import { BACKDOOR_RULES, backdoorDetector } from "./backdoor-detector.js";
import manifest from "./manifest.js";

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
export { type BackdoorOptions, DEFAULT_OPTIONS as defaultOptions, readOptions } from "./options.js";
export { center, evidenceThresholdFor, leaveOneOutScores, thresholdFor } from "./robust.js";
export { RowExtras } from "./row-extras.js";
export { BACKDOOR_RULES, backdoorDetector };

/** Every part loaded now; `@modelaudit/detector-backdoor/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [backdoorDetector] });
