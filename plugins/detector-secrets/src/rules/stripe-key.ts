import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "stripe-key",
  meta: {
    description:
      "A Stripe API key is embedded in the model (secret and restricted live keys are critical; test keys a warning; publishable keys informational).",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Roll the key in the Stripe dashboard and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
      publishableKey: "{{kind}} in {{place}} (publishable keys are meant for clients; informational)",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#stripe-key" },
  },
});
