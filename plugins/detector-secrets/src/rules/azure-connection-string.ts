import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "An Azure connection string carrying an account key, shared access key or signature is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Rotate the key in Azure and remove the connection string from the model.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#azure-connection-string",
    },
  },
});
