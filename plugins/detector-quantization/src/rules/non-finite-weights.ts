import { CWE_400, CWE_1284, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "non-finite-weights",
  meta: {
    description:
      "A float tensor holds NaN or ±Inf values: corrupt or sabotaged weights. A model that outputs NaN is a denial of service, and a non-finite value on one path can be a trigger. -Inf in an attention mask and a small tensor of nothing but one infinity (a bound or sentinel) are notes, and so is NaN in an array NumPy wrote itself (`np.save`/`np.savez`, not a model format) whose name does not say weights: data, where NaN marks missing values. (Moved from detector-weights' weights/non-finite-weights.)",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Re-download the model from a trusted source and compare hashes; if you trained it, find the step that diverged and do not ship these weights.",
    references: [CWE_1284, CWE_400, OWASP_ML10],
    messages: {
      found:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) holds {{nan}} NaN, {{positiveInfinity}} +Inf and {{negativeInfinity}} -Inf values out of {{values}}",
      maskInfinity:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) holds {{negativeInfinity}} -Inf values out of {{values}}; its name says it is an attention mask, where -Inf is how positions are hidden",
      sentinelInfinity:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) is nothing but infinity ({{positiveInfinity}} +Inf, {{negativeInfinity}} -Inf out of {{values}}): a bound or sentinel such as default clip limits, not trained values",
      missingValues:
        "Array {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) holds {{nan}} NaN ({{positiveInfinity}} +Inf, {{negativeInfinity}} -Inf) values out of {{values}}; it is a NumPy data array (np.save/np.savez, not a model format, not named as weights), where NaN marks missing values",
      more: "{{count}} more tensors with non-finite values are not listed",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#non-finite-weights",
    },
  },
});
