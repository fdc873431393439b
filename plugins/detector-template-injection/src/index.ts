import { API_VERSION, definePlugin } from "@modelaudit/core";
import { templateInjectionDetector } from "./detector.js";
import { validateOptions } from "./options.js";
import obfuscation from "./rules/obfuscation.js";
import sandboxEscape from "./rules/sandbox-escape.js";
import unparsableTemplate from "./rules/unparsable-template.js";

export type { AnalysisOptions } from "./analyze-template.js";
export { analyzeTemplate } from "./analyze-template.js";
export type { TemplateIssue } from "./template-issue.js";

export default definePlugin({
  meta: {
    name: "@modelaudit/detector-template-injection",
    version: __PACKAGE_VERSION__,
    namespace: "template-injection",
  },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [templateInjectionDetector],
  rules: {
    "sandbox-escape": sandboxEscape,
    obfuscation,
    "unparsable-template": unparsableTemplate,
  },
});
