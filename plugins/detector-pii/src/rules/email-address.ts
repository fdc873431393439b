import { CWE_200, CWE_359, defineRule, OWASP_ML03 } from "@modelaudit/core";

export default defineRule({
  name: "email-address",
  meta: {
    description:
      "Personal email addresses are embedded in the model; many distinct ones in one artifact are a leaked user list.",
    severity: "info",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Remove personal addresses from metadata and configs; if a user list leaked into training data, scrub the data and retrain.",
    references: [CWE_359, CWE_200, OWASP_ML03],
    messages: {
      found: "{{kind}} in {{place}}",
      userList:
        "{{count}} distinct email addresses ({{domains}} domains) in one artifact, first in {{place}}: a leaked user list",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#email-address" },
  },
});
