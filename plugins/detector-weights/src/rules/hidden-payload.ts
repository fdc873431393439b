import { ATLAS_AML_T0018, CWE_506, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "Bytes assembled from the low-order bits of consecutive float values (the least significant mantissa bit, or the low byte of each float32/float64) form a file (executable, archive, pickle, script, image, PDF) or a long run of text: data hidden in the weights (steganography).",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load or distribute the model; the weights carry a hidden payload that a companion loader or a later stage can extract. Obtain the model from its original publisher and compare hashes.",
    references: [CWE_506, OWASP_ML06, ATLAS_AML_T0018, link("https://arxiv.org/abs/2107.08590")],
    messages: {
      signature:
        "The low-order bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) form {{payload}}: bytes assembled from {{stream}}, starting at extracted byte {{position}}",
      text: "The low-order bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) spell {{length}} characters of text: bytes assembled from {{stream}}, starting at extracted byte {{position}}",
      more: "{{count}} more tensors with data hidden in their low-order bits are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-weights#hidden-payload" },
  },
});
