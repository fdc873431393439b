import { definePlugin } from "@modelaudit/core";
import { DP_RULES, dpDetector, UNDERSTATED_MARGIN } from "./dp-detector.js";
import manifest from "./manifest.js";

export { DpEvidence, type Sighting } from "./evidence.js";
export { DEFAULT_OPTIONS as defaultOptions, type DpOptions, readOptions } from "./options.js";
export {
  DEFAULT_ORDERS,
  epsilonFromRdp,
  epsilonOf,
  historyProblem,
  logErfc,
  type MechanismRun,
  rdpOf,
  rdpOfStep,
} from "./rdp.js";
export { DP_RULES, dpDetector, UNDERSTATED_MARGIN };

/** Every part loaded now; `@modelaudit/detector-dp/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [dpDetector] });
