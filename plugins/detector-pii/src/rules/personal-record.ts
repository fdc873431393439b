import { CWE_200, CWE_359, defineRule, OWASP_ML03, OWASP_ML04 } from "@modelaudit/core";

export default defineRule({
  name: "personal-record",
  meta: {
    description:
      "Several kinds of personal data sit together (name, email, phone, address, birth date, ids, cards): memorised or shipped training rows.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Find how the rows got into the model (a config, a pickled dataset sample, metadata), remove them, and scrub the training data.",
    references: [CWE_359, CWE_200, OWASP_ML03, OWASP_ML04],
    messages: {
      found: "A personal record with {{fields}} in {{place}}",
      foundMany: "{{count}} personal records with {{fields}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#personal-record" },
  },
});
