import { CWE_359, defineRule, OWASP_ML04 } from "@modelaudit/core";

export default defineRule({
  name: "claim-without-parameters",
  meta: {
    description:
      "A model card, config or checkpoint says the model was trained with differential privacy but gives no ε, noise multiplier or accountant state anywhere in the artifact: the claim cannot be checked.",
    severity: "info",
    confidence: 0.6,
    recommended: true,
    remediation: "Ask the publisher for ε, δ, the noise multiplier, sampling rate and steps (or the accountant state).",
    references: [CWE_359, OWASP_ML04],
    messages: {
      noParameters:
        "Claims differential-privacy training ({{claim}}) without ε, δ, noise multiplier or accountant state",
      more: "{{count}} more unparameterised DP claims are not listed",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-dp#claim-without-parameters",
    },
  },
});
