import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "google-api-key",
  meta: {
    description: "A Google API key (AIza followed by 35 characters) is embedded in the model.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation: "Delete or restrict the key in the Google Cloud console and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#google-api-key" },
  },
});
