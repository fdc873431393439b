import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "huggingface-token",
  meta: {
    description: "A Hugging Face access token (hf_) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation: "Revoke the token in your Hugging Face settings and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#huggingface-token",
    },
  },
});
