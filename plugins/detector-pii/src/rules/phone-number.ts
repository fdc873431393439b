import { CWE_359, defineRule, OWASP_ML03 } from "@modelaudit/core";

export default defineRule({
  name: "phone-number",
  meta: {
    description: "A phone number in international E.164 form, or under a phone-named key, is embedded in the model.",
    severity: "info",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Check whether the number belongs to a person; remove personal numbers from metadata and training data.",
    references: [CWE_359, OWASP_ML03],
    messages: { found: "{{kind}} in {{place}}" },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#phone-number" },
  },
});
