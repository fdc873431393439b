import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "azure-connection-string",
  meta: {
    description:
      "An Azure connection string carrying an account key, shared access key or signature is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Rotate the key in Azure and remove the connection string from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#azure-connection-string",
    },
  },
});
