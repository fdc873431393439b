import { definePlugin, rulesByName } from "@modelaudit/core";
import { CODE_EXECUTION_RULES, codeExecutionDetector } from "./detector.js";
import { validateOptions } from "./options.js";

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

export default definePlugin({
  meta: { name: "@modelaudit/detector-code-execution", version: __PACKAGE_VERSION__, namespace: "code-execution" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  validateOptions,
  detectors: [codeExecutionDetector],
  rules: rulesByName(CODE_EXECUTION_RULES),
});
