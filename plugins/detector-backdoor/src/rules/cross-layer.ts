import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "cross-layer",
  meta: {
    description:
      "At the thorough level: an output neuron or channel of one layer whose norm stands out (robust z past half the threshold, 1.3× the median) feeding an input column of the next layer (the tensor that follows it and takes as many inputs) whose norm stands out too. An implant that boosts a path at both ends a little shows at both; natural layers' larger rows and columns rarely line up.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Compare both layers with the publisher's original: a path amplified where it leaves one layer and where it enters the next is how a trigger feature is wired through.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      path: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): input column(s) {{rows}} stand out (norm {{ratioIn}}× the median, robust z {{zIn}}) and are fed by output row(s) of {{previous}} that stand out too ({{ratioOut}}× the median, robust z {{zOut}}); threshold {{threshold}} on each side",
      more: "{{count}} more amplified paths between layers are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#cross-layer" },
  },
});
