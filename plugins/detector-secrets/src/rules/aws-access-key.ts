import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "aws-access-key",
  meta: {
    description: "An AWS access key id (AKIA/ASIA/ABIA/ACCA followed by 16 characters) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Deactivate the key in AWS IAM, check CloudTrail for its use, and remove it from the model and every copy.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#aws-access-key" },
  },
});
