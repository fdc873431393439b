import { API_VERSION, definePlugin } from "@modelaudit/core";
import { customOpsDetector } from "./custom-ops-detector.js";
import { validateOptions } from "./options.js";
import externalDataTraversal from "./rules/external-data-traversal.js";
import kerasPathLoading from "./rules/keras-path-loading.js";
import nativeLibrary from "./rules/native-library.js";
import nonStandardDomain from "./rules/non-standard-domain.js";
import pythonOperator from "./rules/python-operator.js";
import tensorflowFileOp from "./rules/tensorflow-file-op.js";
import tensorflowPythonOp from "./rules/tensorflow-python-op.js";
import tfliteCustomOp from "./rules/tflite-custom-op.js";
import torchscriptCustomNamespace from "./rules/torchscript-custom-namespace.js";
import torchscriptFileOp from "./rules/torchscript-file-op.js";

export type { CustomOpsOptions } from "./options.js";
export { customOpsDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-custom-ops", version: __PACKAGE_VERSION__, namespace: "custom-ops" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [customOpsDetector],
  rules: {
    "non-standard-domain": nonStandardDomain,
    "python-operator": pythonOperator,
    "tensorflow-python-op": tensorflowPythonOp,
    "tensorflow-file-op": tensorflowFileOp,
    "tflite-custom-op": tfliteCustomOp,
    "torchscript-custom-namespace": torchscriptCustomNamespace,
    "torchscript-file-op": torchscriptFileOp,
    "native-library": nativeLibrary,
    "external-data-traversal": externalDataTraversal,
    "keras-path-loading": kerasPathLoading,
  },
});
