import { definePlugin, rulesByName } from "@modelaudit/core";
import { optionsSchema } from "./options.js";
import { SECRET_RULE_LIST } from "./secret-match.js";
import { secretsDetector } from "./secrets-detector.js";

export {
  type CustomPattern,
  DEFAULT_OPTIONS as defaultOptions,
  resolveOptions,
  type SecretsOptions,
} from "./options.js";
export { isPlaceholder } from "./placeholders.js";
export { SECRET_RULES, type SecretRule } from "./secret-match.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-secrets", version: __PACKAGE_VERSION__, namespace: "secrets" },
  apiVersion: 1,
  optionsSchema,
  detectors: [secretsDetector],
  rules: rulesByName(SECRET_RULE_LIST),
});
