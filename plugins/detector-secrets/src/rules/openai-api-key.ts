import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "openai-api-key",
  meta: {
    description: "An OpenAI API key (sk-, sk-proj-, sk-svcacct-, sk-admin-) is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Revoke the key in the OpenAI dashboard and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#openai-api-key" },
  },
});
