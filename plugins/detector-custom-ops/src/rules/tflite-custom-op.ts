import { CWE_829, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "tflite-custom-op",
  meta: {
    description:
      "A TFLite custom operator: the interpreter needs a kernel registered by the application (native code). " +
      "Well-known ones such as TFLite_Detection_PostProcess and Flex (Select TensorFlow) ops are a note only.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Find out which kernel implements the custom operator; do not link kernels you have not reviewed.",
    references: [CWE_829, OWASP_ML06, link("https://ai.google.dev/edge/litert/models/ops_custom")],
    messages: {
      customOp: "TFLite custom operator {{op}} at {{path}} needs a kernel the application registers",
      knownCustomOp: "TFLite custom operator {{op}} at {{path}} is one the standard op resolvers provide",
      flexOp: "Flex operator {{op}} at {{path}} runs the TensorFlow kernel {{target}} through the Flex delegate",
    },
    docs: { url: `${DOCS}#tflite-custom-op` },
  },
});
