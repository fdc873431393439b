import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "jwt",
  meta: {
    description:
      "A signed JSON Web Token (decodable header with an algorithm) is embedded in the model; it may still grant access.",
    severity: "warning",
    confidence: 0.85,
    recommended: true,
    remediation: "Revoke the session or rotate the signing key if the token is live, and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
      expired: "Expired {{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#jwt" },
  },
});
