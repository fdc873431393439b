import { CWE_94, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "python-operator",
  meta: {
    description:
      "A graph operator that calls into the Python interpreter (ONNX PyOp/PythonOp, TorchScript prim::PythonOp): " +
      "running the model runs whatever Python the operator names.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation: "Do not run this model; re-export it without Python operators or review the Python code it calls.",
    references: [CWE_94, OWASP_ML06],
    messages: {
      pythonOperator:
        "{{framework}} operator {{op}} (domain {{domain}}) at {{path}} runs Python code when the model runs",
    },
    docs: { url: `${DOCS}#python-operator` },
  },
});
