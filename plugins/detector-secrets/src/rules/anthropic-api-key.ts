import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "anthropic-api-key",
  meta: {
    description: "An Anthropic API key (sk-ant-api03-, sk-ant-admin01-) is embedded in the model.",
    severity: "critical",
    confidence: 0.97,
    recommended: true,
    remediation: "Revoke the key in the Anthropic Console and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#anthropic-api-key",
    },
  },
});
