import { ATLAS_AML_T0018, CWE_506, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "hidden-text",
  meta: {
    description:
      "Bytes reassembled from the low bits of consecutive weights (1, 2, 4 or 8 bits per value, either bit order) spell a long run of text or of base64: a message hidden in the weights. Random or natural low bits give runs of a few printable characters; 64 in a row that read as words or as base64 are written there on purpose. Critical when the text reads as a command (a shell download, an interpreter, an eval).",
    severity: "warning",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Find out who wrote text into the weights and why (a watermark is sometimes deliberate); if nobody can account for it, treat the model as tampered and obtain it from its original publisher.",
    references: [CWE_506, OWASP_ML06, ATLAS_AML_T0018, link("https://arxiv.org/abs/2107.08590", "EvilModel")],
    messages: {
      text: "The low bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) spell {{length}} characters of text: bytes assembled from {{plane}}, starting at extracted byte {{position}}",
      command:
        "The low bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) spell a command ({{length}} characters): bytes assembled from {{plane}}, starting at extracted byte {{position}}",
      base64:
        "The low bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) hold {{length}} characters of base64 ({{decoded}}): bytes assembled from {{plane}}, starting at extracted byte {{position}}",
      more: "{{count}} more tensors with text hidden in their low bits are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-stego#hidden-text" },
  },
});
