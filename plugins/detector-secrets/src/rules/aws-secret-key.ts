import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "aws-secret-key",
  meta: {
    description:
      "An AWS secret access key (40 base64 characters) sits next to an AWS/secret key name or an access key id.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation: "Rotate the key pair in AWS IAM, review CloudTrail for its use, and remove the secret from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#aws-secret-key" },
  },
});
