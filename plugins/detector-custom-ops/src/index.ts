import { definePlugin } from "@modelaudit/core";
import { customOpsDetector } from "./custom-ops-detector.js";
import manifest from "./manifest.js";

export type { CustomOpsOptions } from "./options.js";
export { customOpsDetector };

/** Every part loaded now; `@modelaudit/detector-custom-ops/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [customOpsDetector] });
