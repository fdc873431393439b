import { CWE_312, CWE_359, defineRule, OWASP_ML03 } from "@modelaudit/core";

export default defineRule({
  name: "iban",
  meta: {
    description:
      "An International Bank Account Number with a valid ISO 13616 mod-97 checksum and its country's length is embedded in the model.",
    severity: "warning",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Remove the account number from the model and the training data and retrain; inform the account holder if required.",
    references: [CWE_359, CWE_312, OWASP_ML03],
    messages: { found: "{{kind}} in {{place}}" },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#iban" },
  },
});
