import { CWE_1284, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "int8-range",
  meta: {
    description:
      "An int8 or uint8 weight that has a scale (so it is quantized) piles its values at the ends of its range (saturated: weights clipped, beyond maxSaturation of the values and beyond four per output row, the one per row a per-channel quantizer puts there) or uses fewer than 16 of its 256 levels (a scale far too large: most weights round to the same few values, a note).",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Compare the layer's outputs with the float model's; re-quantize with a calibrated scale if they differ, and find out who changed the weights if the float model is fine.",
    references: [CWE_1284, OWASP_ML10],
    messages: {
      saturated:
        "Quantized weight {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{saturated}} of {{values}} values ({{fraction}}, threshold {{threshold}}, about {{expected}} expected) sit at the ends of the range; values span {{min}}..{{max}} over {{levels}} levels",
      narrow:
        "Quantized weight {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) uses only {{levels}} of 256 levels ({{min}}..{{max}}) over {{values}} values: its scale is far larger than its weights need",
      more: "{{count}} more quantized weights with a saturated or barely used range are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#int8-range" },
  },
});
