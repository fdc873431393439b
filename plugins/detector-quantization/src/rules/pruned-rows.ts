import { ATLAS_AML_T0018, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "pruned-rows",
  meta: {
    description:
      "A float weight has whole rows (output neurons, filters) of zeros: at least two and 5% of its rows, noted with their stride when they are evenly spaced. Structured pruning does this in the open; a mask nobody mentions silences those neurons for every input. A single zero row (an embedding's padding index) is not noted.",
    severity: "info",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Check the model card for structured pruning; if none is documented, compare the layer with the publisher's original weights.",
    references: [ATLAS_AML_T0018, OWASP_ML10],
    messages: {
      stride:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{zero}} of {{rows}} rows are all zero, every {{stride}}th row from row {{first}} (a structured pruning mask)",
      rows: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{zero}} of {{rows}} rows are all zero, the first at row {{first}}",
      more: "{{count}} more tensors with zeroed rows are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#pruned-rows" },
  },
});
