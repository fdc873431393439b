import { CWE_359, defineRule, OWASP_ML04 } from "@modelaudit/core";

export default defineRule({
  name: "epsilon-understated",
  meta: {
    description:
      "A saved ε is lower than the one Opacus' RDP accountant gives for the saved noise multiplier, sampling rate and steps (the accountant history, or σ, q and steps saved as values) at the saved δ (option defaultDelta when none is saved): the privacy claim is stronger than the training supports. A margin of 1% allows for rounding.",
    severity: "warning",
    confidence: 0.75,
    recommended: true,
    remediation:
      "Use the recomputed ε in your assessment; ask the publisher how the stated value was computed (a different accountant, δ or step count).",
    references: [CWE_359, OWASP_ML04],
    messages: {
      understated:
        "{{key}} states ε = {{epsilon}} but the accountant at {{source}} ({{history}}) gives ε = {{recomputed}} at δ = {{delta}} ({{deltaSource}}; best order {{order}})",
      more: "{{count}} more understated ε values are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-dp#epsilon-understated" },
  },
});
