import { definePlugin } from "@modelaudit/core";
import { codeExecutionDetector } from "./detector.js";
import manifest from "./manifest.js";

export { ALLOWED_GLOBALS, ALLOWED_PATTERNS, type AllowPattern } from "./allowlist.js";
export {
  type Classification,
  type DangerMatch,
  GlobalPolicy,
  type PolicyOptions,
} from "./classify-global.js";
export {
  DANGEROUS_BARE_NAMES,
  DANGEROUS_GROUPS,
  type DangerCategory,
  type DangerousGroup,
} from "./dangerous-globals.js";
export { MODULE_ALIASES } from "./module-aliases.js";

/** Every part loaded now; `@modelaudit/detector-code-execution/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [codeExecutionDetector] });
