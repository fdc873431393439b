import { definePlugin, rulesByName } from "@modelaudit/core";
import { TEMPLATE_INJECTION_RULES, templateInjectionDetector } from "./detector.js";
import { validateOptions } from "./options.js";

export type { AnalysisOptions } from "./analyze-template.js";
export { analyzeTemplate } from "./analyze-template.js";
export type { TemplateIssue } from "./template-issue.js";

export default definePlugin({
  meta: {
    name: "@modelaudit/detector-template-injection",
    version: __PACKAGE_VERSION__,
    namespace: "template-injection",
  },
  apiVersion: 1,
  validateOptions,
  detectors: [templateInjectionDetector],
  rules: rulesByName(TEMPLATE_INJECTION_RULES),
});
