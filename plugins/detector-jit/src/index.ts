import { API_VERSION, definePlugin } from "@modelaudit/core";
import { jitDetector } from "./detector.js";
import { validateOptions } from "./options.js";
import dangerousCall from "./rules/dangerous-call.js";
import dangerousImport from "./rules/dangerous-import.js";
import nativeLibraryLoad from "./rules/native-library-load.js";
import unknownOperator from "./rules/unknown-operator.js";

export { analyzeBytecodeNames } from "./analyze-bytecode-names.js";
export type { AnalysisOptions, CodeIssue } from "./code-issue.js";
export { analyzePython } from "./python/analyze-python.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-jit", version: __PACKAGE_VERSION__, namespace: "jit" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [jitDetector],
  rules: {
    "dangerous-call": dangerousCall,
    "dangerous-import": dangerousImport,
    "native-library-load": nativeLibraryLoad,
    "unknown-operator": unknownOperator,
  },
});
