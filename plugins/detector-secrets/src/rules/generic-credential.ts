import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "A high-entropy value is assigned to a password, secret, API key or token name in metadata, config or code.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Check whether the value is a real credential; if so rotate it and remove it from the model, else add it to options.secrets.allow.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#generic-credential",
    },
  },
});
