import { CWE_1284, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "zero-point-range",
  meta: {
    description:
      "A zero point lies outside the integer range of the weights it offsets (int8 -128..127, uint8 0..255; either when the weight's type is not in the artifact, as for a torch quantized tensor's per-tensor zero point in its `_rebuild_qtensor` call). Quantizers clamp zero points to that range; one outside it shifts every dequantized value of the layer and is not what any quantizer writes.",
    severity: "warning",
    confidence: 0.75,
    recommended: true,
    remediation: "Re-quantize the model from its float weights, or obtain it from its publisher and compare hashes.",
    references: [CWE_1284, OWASP_ML10],
    messages: {
      outside:
        "Zero point {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) spans {{min}}..{{max}}, outside the {{range}} range {{low}}..{{high}}",
      qtensor:
        "A torch quantized tensor ({{scheme}}, size {{size}}, rebuilt at pickle offset {{offset}}) has zero point {{zeroPoint}}, outside the {{range}} range {{low}}..{{high}}",
      more: "{{count}} more zero points outside their range are not listed",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#zero-point-range",
    },
  },
});
