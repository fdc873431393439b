import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "custom-pattern",
  meta: {
    description: "A value matched a secret pattern from the user's configuration (options.secrets.patterns).",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Handle the value as your pattern's owner prescribes: rotate it and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#custom-pattern" },
  },
});
