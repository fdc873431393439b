import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "sendgrid-api-key",
  meta: {
    description: "A SendGrid API key (SG.<22>.<43>) is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Delete the key in SendGrid and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#sendgrid-api-key" },
  },
});
