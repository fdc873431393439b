import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "outlier-neuron",
  meta: {
    description:
      "An output neuron (row of a 2-D weight) or filter (output channel of a convolution) whose L2 norm is a robust outlier in its layer: the robust z-score of its log norm against the median and MAD of the layer's other rows passes the threshold (default 6, times 1 + 3.5/√n for a layer of n rows, three standard errors of the MAD: 8.6 for 64 rows, 6.7 for 1000; or raised as √(32/n) where that is higher), and the norm is at least 1.5 times the layer's median. Scaling one neuron up is how weight-editing backdoors make a trigger feature dominate.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Compare the layer with the publisher's original: a neuron or filter scaled far above its neighbours is rarely learnt, and is how implanted triggers are amplified. Fine-tuning or pruning the named rows removes it.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      outlier:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} {{unit}}(s) with an outlier norm (rows {{rows}}): norm {{norm}} is {{ratio}}× the layer's median {{median}}, robust z {{z}} > {{threshold}} over {{layerRows}} rows",
      more: "{{count}} more layers with outlier neurons are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#outlier-neuron" },
  },
});
