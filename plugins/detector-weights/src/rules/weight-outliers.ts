import { ATLAS_AML_T0018, CWE_1284, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "Statistics of a large float tensor look unusual: values beyond mean ± 12σ, or every value identical (all zero) in a large tensor, a sign of a tampered or placeholder layer. Informational only: statistics are not a verdict, and real models have outlier features.",
    severity: "info",
    confidence: 0.3,
    recommended: true,
    remediation:
      "Look at the tensor named: compare it with the same layer of the published model, and check that a constant layer is meant to be (an untrained or placeholder layer ships no behaviour).",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_1284],
    messages: {
      outliers:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) has {{count}} of {{values}} values beyond mean ± 12σ (max |z| {{maxZ}}; mean {{mean}}, σ {{deviation}}, range {{min}} to {{max}})",
      constant:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): all {{values}} values are {{value}}",
      allZero:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): all {{values}} values are zero",
      more: "{{count}} more tensors with unusual statistics are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-weights#weight-outliers" },
  },
});
