import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "pruning-mask",
  meta: {
    description:
      "A pruning-shaped mask: at least 75% of a layer's rows are exactly zero with a few left alive, or a few rows (at most 10%) are zero except a handful of weights while the layer's other rows are dense. Pruning everything but the neurons that carry a backdoor, or a neuron that watches only the trigger's inputs, leaves this shape.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Compare the layer with the publisher's original: structured zeros that keep only a few neurons, or a neuron wired to a handful of inputs, are edits.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      rows: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{zeroRows}} of {{rows}} {{unit}}s are zero; only {{live}} left (rows {{liveRows}})",
      sparseRows:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} of {{rows}} {{unit}}s are zero except a few weights (rows {{sparseRows}}: {{kept}} of {{rowLength}} nonzero) while the layer's rows are {{typical}} zero",
      more: "{{count}} more layers with pruning-shaped masks are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#pruning-mask" },
  },
});
