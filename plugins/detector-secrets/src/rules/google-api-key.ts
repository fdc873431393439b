import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description: "A Google API key (AIza followed by 35 characters) is embedded in the model.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation: "Delete or restrict the key in the Google Cloud console and remove it from the model.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#google-api-key" },
  },
});
