import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description: "An AWS access key id (AKIA/ASIA/ABIA/ACCA followed by 16 characters) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Deactivate the key in AWS IAM, check CloudTrail for its use, and remove it from the model and every copy.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#aws-access-key" },
  },
});
