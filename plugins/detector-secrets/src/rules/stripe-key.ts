import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "A Stripe API key is embedded in the model (secret and restricted live keys are critical; test keys a warning; publishable keys informational).",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Roll the key in the Stripe dashboard and remove it from the model.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
      publishableKey: "{{kind}} in {{place}} (publishable keys are meant for clients; informational)",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#stripe-key" },
  },
});
