import { definePlugin, rulesByName } from "@modelaudit/core";
import { piiDetector } from "./pii-detector.js";
import { PII_RULE_LIST } from "./pii-match.js";

export { cardBrand, isTestCardNumber, judgeCardNumber, luhnValid } from "./card-number.js";
export { classifyEmail, DEFAULT_IGNORED_DOMAINS } from "./email-address.js";
export { ibanChecksumValid, isValidIban } from "./iban.js";
export { DEFAULT_OPTIONS as defaultOptions, type PiiOptions, resolveOptions } from "./options.js";
export { PII_RULES, type PiiRule } from "./pii-match.js";
export { isValidSsn } from "./us-ssn.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-pii", version: __PACKAGE_VERSION__, namespace: "pii" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [piiDetector],
  rules: rulesByName(PII_RULE_LIST),
});
