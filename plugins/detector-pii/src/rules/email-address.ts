import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "Personal email addresses are embedded in the model; many distinct ones in one artifact are a leaked user list.",
    severity: "info",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Remove personal addresses from metadata and configs; if a user list leaked into training data, scrub the data and retrain.",
    references: ["CWE-359", "CWE-200", "OWASP ML03:2023 Model Inversion Attack"],
    messages: {
      found: "{{kind}} in {{place}}",
      userList:
        "{{count}} distinct email addresses ({{domains}} domains) in one artifact, first in {{place}}: a leaked user list",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#email-address" },
  },
});
