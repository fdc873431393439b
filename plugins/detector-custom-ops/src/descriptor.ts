import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
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

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const CUSTOM_OPS_RULES = [
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
];

/** The detector as static data (its code is custom-ops-detector.ts): what the plugin's manifest registers before any file needs it. */
export const CUSTOM_OPS_DESCRIPTOR: DetectorDescriptor = {
  id: "custom-ops",
  description: "Custom and Python operators, native libraries, and external data paths that escape the model",
  facts: ["graph-node", "entry", "reference"],
  rules: ruleNames(CUSTOM_OPS_RULES),
};
