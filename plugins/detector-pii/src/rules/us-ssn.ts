import { CWE_200, CWE_359, defineRule, OWASP_ML03 } from "@modelaudit/core";

export default defineRule({
  name: "us-ssn",
  meta: {
    description:
      "A US Social Security number in an issuable range (no 000/666/9xx area, 00 group or 0000 serial, no known example) is embedded in the model.",
    severity: "warning",
    confidence: 0.75,
    recommended: true,
    remediation:
      "Remove the number from the model and the training data and retrain; assess the leak under your privacy obligations.",
    references: [CWE_359, CWE_200, OWASP_ML03],
    messages: { found: "{{kind}} in {{place}}" },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#us-ssn" },
  },
});
