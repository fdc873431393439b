import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "bias-outlier",
  meta: {
    description:
      "A bias term far out of its layer's range: beyond the other biases' range by more than that range's width, and a robust outlier (leave-one-out z over median and MAD above the threshold, raised for small layers). A bias set far out makes a neuron fire always, or only on a trigger.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Compare the bias with the publisher's original; a neuron forced on or off by its bias is a planted behaviour.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      bias: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): bias {{index}} is {{value}}, far outside the other {{values}} biases' range {{low}} to {{high}} (median {{median}}, robust z {{z}} > {{threshold}})",
      more: "{{count}} more layers with outlying biases are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#bias-outlier" },
  },
});
