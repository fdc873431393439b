/**
 * Operators that hand control to the Python interpreter: ONNX Runtime's PyOp, onnxruntime-extensions
 * Python ops, TorchScript's prim::PythonOp, TensorFlow's py_func family. Matched on the name with
 * separators and case removed, since exporters spell them PyOp, Py_Op, PythonOp or python_op.
 */
const PYTHON_OPERATOR = /^(py|python)(op|operator|func|function|call|kernel|node)(v\d+)?$/;
const PYTHON_OPERATOR_PART = /pythonop|pyfunc|pycall|pythonfunc|pythoncall/;

export function isPythonOperator(op: string): boolean {
  const normalized = op.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  return PYTHON_OPERATOR.test(normalized) || PYTHON_OPERATOR_PART.test(normalized);
}
