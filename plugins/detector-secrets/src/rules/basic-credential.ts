import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "basic-credential",
  meta: {
    description:
      "HTTP Basic credentials (base64 user:password) or a URL with a user name and password are embedded in the model.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Change the password and remove the credentials from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
      urlCredential: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#basic-credential" },
  },
});
