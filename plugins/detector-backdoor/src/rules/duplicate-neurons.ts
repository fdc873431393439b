import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "duplicate-neurons",
  meta: {
    description:
      "Neurons or filters that repeat another row of the same layer: the same norm (4 significant digits) and the same 8 sampled coordinates relative to it, the same largest |value| at the same position, and the same counts of positive and zero values. Layers whose rows take so few distinct values (0/1 pruning masks, ternary weights) that unrelated rows would match on the samples by chance are not judged; the rule's check says so. Training does not produce twins; copying a neuron doubles a feature's weight the way an implant would.",
    severity: "warning",
    confidence: 0.4,
    recommended: true,
    remediation: "Compare the layer with the publisher's original: duplicated rows are edited, not trained.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      duplicate:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} {{unit}}(s) repeat another row (pairs {{pairs}}) among {{layerRows}} rows",
      more: "{{count}} more layers with duplicated neurons are not listed",
      undecidable:
        "Tensor {{tensor}} (shape {{shape}}): not judged for duplicated {{unit}}s: its rows take few distinct values (at most {{distinct}} among the sampled coordinates of rows of one norm), so unrelated rows would match on the samples by chance (about {{chance}} chance matches expected among {{layerRows}} rows)",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#duplicate-neurons",
    },
  },
});
