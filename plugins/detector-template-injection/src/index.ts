import { definePlugin } from "@modelaudit/core";
import { templateInjectionDetector } from "./detector.js";
import manifest from "./manifest.js";

export type { AnalysisOptions } from "./analyze-template.js";
export { analyzeTemplate } from "./analyze-template.js";
export type { TemplateIssue } from "./template-issue.js";

/** Every part loaded now; `@modelaudit/detector-template-injection/manifest` is the same plugin with the detector's code imported on first need. */
export default definePlugin({ ...manifest, detectors: [templateInjectionDetector] });
