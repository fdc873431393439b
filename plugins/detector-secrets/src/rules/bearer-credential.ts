import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "bearer-credential",
  meta: {
    description: "An HTTP Authorization Bearer token is embedded in the model.",
    severity: "warning",
    confidence: 0.75,
    recommended: true,
    remediation: "Revoke the token at its issuer and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#bearer-credential",
    },
  },
});
