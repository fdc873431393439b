import { CWE_829, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "non-standard-domain",
  meta: {
    description:
      "An ONNX operator outside the standard ONNX domains: running the model needs a custom operator library " +
      "(native code) registered with the runtime. Operators in ONNX Runtime's own contrib list are a note only.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Find out which library implements the domain and where it comes from; do not register custom operator libraries you have not reviewed.",
    references: [CWE_829, OWASP_ML06, link("https://onnxruntime.ai/docs/reference/operators/add-custom-op.html")],
    messages: {
      customDomain: "ONNX operator {{op}} of domain {{domain}} at {{path}} needs a custom operator library",
      unknownContribOp:
        "ONNX operator {{op}} at {{path}} is in ONNX Runtime's {{domain}} domain but not among its contrib operators",
      contribOp: "ONNX Runtime contrib operator {{domain}}::{{op}} at {{path}}",
    },
    docs: { url: `${DOCS}#non-standard-domain` },
  },
});
