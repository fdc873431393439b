import { definePlugin, rulesByName } from "@modelaudit/core";
import { JIT_RULES, jitDetector } from "./detector.js";
import { validateOptions } from "./options.js";

export { analyzeBytecodeNames } from "./analyze-bytecode-names.js";
export type { AnalysisOptions, CodeIssue } from "./code-issue.js";
export { analyzePython } from "./python/analyze-python.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-jit", version: __PACKAGE_VERSION__, namespace: "jit" },
  apiVersion: 1,
  validateOptions,
  detectors: [jitDetector],
  rules: rulesByName(JIT_RULES),
});
