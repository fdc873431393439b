import { CWE_1284, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "broken-scale",
  meta: {
    description:
      "A quantization scale is NaN, infinite, zero, negative or beyond maxScale: a scale tensor (`weight_scale`, `scales`, `scale_inv`, a quantized module's `scale`), a torch quantized tensor's per-tensor scale (its `_rebuild_qtensor` call in the pickle) or a GGUF block's d/dmin. A scale multiplies every weight it covers, so one broken value poisons (NaN), erases (zero), flips (negative) or overflows (huge) a whole row or block: a corrupted or sabotaged quantization. A zero scale is correct for an all-zero row (absmax 0): zeros on all-zero rows of the layer's 8-bit weight are not reported, and a lone zero among 16+ scales with no weight to check is a note.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Do not deploy these weights: re-quantize from the original float model, or re-download the quantized model from its publisher and compare hashes.",
    references: [CWE_1284, OWASP_ML10],
    messages: {
      scales:
        "Scale tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) holds {{nan}} NaN, {{infinite}} infinite, {{zero}} zero, {{negative}} negative and {{extreme}} extreme (above {{maxScale}}) values of {{values}}; the first is {{value}} at index {{index}}",
      blocks:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{nonFinite}} non-finite, {{extreme}} extreme (above {{maxScale}}) and {{negative}} negative block scales of {{blocks}} blocks (negative where ggml's quantizer only writes positive ones); the first is {{field}} = {{value}} in block {{block}}",
      qtensor:
        "A torch quantized tensor ({{scheme}}, size {{size}}, rebuilt at pickle offset {{offset}}) has scale {{value}} (broken: not positive and at most {{maxScale}})",
      zeroRow:
        "Scale tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) has one zero scale of {{values}}, at index {{index}}: absmax quantization gives an all-zero row (a padding embedding) scale 0, and no 8-bit weight of the layer was found to check that row",
      more: "{{count}} more tensors with broken scales are not listed",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#broken-scale",
    },
  },
});
