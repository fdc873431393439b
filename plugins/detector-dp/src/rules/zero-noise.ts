import { CWE_359, defineRule, OWASP_ML04 } from "@modelaudit/core";

export default defineRule({
  name: "zero-noise",
  meta: {
    description:
      "A model presented as differentially private was trained with a noise multiplier of 0 (saved as a value or in the accountant's history): gradients were clipped but no noise was added, so ε is infinite and there is no privacy guarantee, whatever ε is stated.",
    severity: "warning",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Treat the model as not privately trained; retrain with a positive noise multiplier if privacy is required.",
    references: [CWE_359, OWASP_ML04],
    messages: {
      zero: "{{key}} has a noise multiplier of 0: no noise was added and ε is infinite (stated ε: {{epsilon}})",
      more: "{{count}} more zero noise multipliers are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-dp#zero-noise" },
  },
});
