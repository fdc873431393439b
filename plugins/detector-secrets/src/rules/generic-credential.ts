import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "generic-credential",
  meta: {
    description:
      "A high-entropy value is assigned to a password, secret, API key or token name in metadata, config or code.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Check whether the value is a real credential; if so rotate it and remove it from the model, else add it to options.secrets.allow.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#generic-credential",
    },
  },
});
