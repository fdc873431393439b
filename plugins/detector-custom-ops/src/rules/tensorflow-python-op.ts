import { CWE_94, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "tensorflow-python-op",
  meta: {
    description:
      "A TensorFlow op that calls a Python function (PyFunc, PyFuncStateless, EagerPyFunc from tf.py_function / " +
      "tf.numpy_function): the graph runs arbitrary Python registered by whoever loads it.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not serve this graph; rewrite the py_function part with TensorFlow ops, or review the Python code it expects.",
    references: [CWE_94, OWASP_ML06, link("https://www.tensorflow.org/api_docs/python/tf/py_function")],
    messages: {
      pythonOp: "TensorFlow op {{op}} at {{path}} calls a Python function when the graph runs",
    },
    docs: { url: `${DOCS}#tensorflow-python-op` },
  },
});
