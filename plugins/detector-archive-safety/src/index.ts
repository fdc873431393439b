import { definePlugin } from "@modelaudit/core";
import { archiveSafetyDetector } from "./archive-safety-detector.js";
import manifest from "./manifest.js";

export { type ArchiveSafetyOptions, DEFAULT_OPTIONS as defaultOptions } from "./options.js";

/** Every part loaded now; `@modelaudit/detector-archive-safety/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [archiveSafetyDetector] });
