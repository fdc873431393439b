import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "aws-key-pair",
  meta: {
    description: "An AWS access key id and its secret access key are embedded together: a usable credential.",
    severity: "critical",
    confidence: 0.98,
    recommended: true,
    remediation:
      "Deactivate the key pair in AWS IAM now, review CloudTrail for its use, and republish the model without it.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#aws-key-pair" },
  },
});
