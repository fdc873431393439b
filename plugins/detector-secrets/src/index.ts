import { definePlugin, rulesByName } from "@modelaudit/core";
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
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [secretsDetector],
  rules: rulesByName(SECRET_RULE_LIST),
});
