import { definePlugin, rulesByName } from "@modelaudit/core";
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
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  validateOptions,
  detectors: [customOpsDetector],
  rules: rulesByName([
    nonStandardDomain,
    pythonOperator,
    tensorflowPythonOp,
    tensorflowFileOp,
    tfliteCustomOp,
    torchscriptCustomNamespace,
    torchscriptFileOp,
    nativeLibrary,
    externalDataTraversal,
    kerasPathLoading,
  ]),
});
