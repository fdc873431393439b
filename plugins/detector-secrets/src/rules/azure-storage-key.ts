import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "azure-storage-key",
  meta: {
    description: "An Azure Storage account key, shared access key or shared access signature is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation: "Rotate the storage account key (or revoke the SAS) in Azure and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#azure-storage-key",
    },
  },
});
