import { definePlugin } from "@modelaudit/core";
import { jitDetector } from "./detector.js";
import manifest from "./manifest.js";

export { analyzeBytecodeNames } from "./analyze-bytecode-names.js";
export type { AnalysisOptions, CodeIssue } from "./code-issue.js";
export { analyzePython } from "./python/analyze-python.js";

/** Every part loaded now; `@modelaudit/detector-jit/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [jitDetector] });
