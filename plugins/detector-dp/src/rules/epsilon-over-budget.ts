import { CWE_359, defineRule, OWASP_ML03, OWASP_ML04 } from "@modelaudit/core";

export default defineRule({
  name: "epsilon-over-budget",
  meta: {
    description:
      "A differentially private model's ε is above the budget (option epsilonBudget, default 10): the ε saved in a checkpoint, config or model card, or the one recomputed from the saved accountant history. At ε this large the guarantee says little: membership inference and reconstruction of training records are not ruled out.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Treat the model as not privately trained for your risk assessment, or retrain with more noise, fewer steps or a lower sampling rate to reach the budget.",
    references: [CWE_359, OWASP_ML04, OWASP_ML03],
    messages: {
      stated: "{{key}} states ε = {{epsilon}}, above the privacy budget {{budget}}",
      recomputed:
        "The privacy accountant at {{source}} ({{history}}) gives ε = {{recomputed}} at δ = {{delta}} ({{deltaSource}}; best order {{order}}), above the privacy budget {{budget}}",
      more: "{{count}} more ε values over budget are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-dp#epsilon-over-budget" },
  },
});
