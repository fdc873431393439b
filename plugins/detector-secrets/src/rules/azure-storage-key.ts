import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description: "An Azure Storage account key, shared access key or shared access signature is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation: "Rotate the storage account key (or revoke the SAS) in Azure and remove it from the model.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#azure-storage-key",
    },
  },
});
