import { CWE_436, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "dtype-mismatch",
  meta: {
    description:
      "A Hugging Face config in the same artifact as the weights (a zipped or tarred model folder) names a dtype (`torch_dtype`/`dtype`) that less than half of the float weights have, or a quantization method (`quantization_config.quant_method`: GPTQ, AWQ, bitsandbytes, FP8, compressed-tensors...) while every weight is plain float. transformers writes both from the same model; loaders trust the config, casting to its dtype or picking a quantized kernel for weights that are not quantized.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Check where the model folder came from; make the config match the weights (or the weights the config) before loading it.",
    references: [CWE_436, OWASP_ML06],
    messages: {
      dtype:
        "Config key {{key}} says {{claimed}} but the {{tensors}} tensors are mostly {{dominant}} ({{share}} of the float values have the claimed dtype)",
      quantization:
        "Config key {{key}} says the model is quantized with {{method}}, but all {{tensors}} tensors are plain float: no packed integer or float8 weights",
      more: "{{count}} more dtype claims the weights contradict are not listed",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-quantization#dtype-mismatch",
    },
  },
});
