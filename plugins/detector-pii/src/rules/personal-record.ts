import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "Several kinds of personal data sit together (name, email, phone, address, birth date, ids, cards): memorised or shipped training rows.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Find how the rows got into the model (a config, a pickled dataset sample, metadata), remove them, and scrub the training data.",
    references: [
      "CWE-359",
      "CWE-200",
      "OWASP ML03:2023 Model Inversion Attack",
      "OWASP ML04:2023 Membership Inference Attack",
    ],
    messages: {
      found: "A personal record with {{fields}} in {{place}}",
      foundMany: "{{count}} personal records with {{fields}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#personal-record" },
  },
});
