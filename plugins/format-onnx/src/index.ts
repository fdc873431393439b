import { definePlugin } from "@modelaudit/core";
import { onnxHandler } from "./onnx-handler.js";

export { dataTypeName } from "./data-types.js";
export { sniffOnnx } from "./sniff.js";

// The handler imports its parser on first use; `escapesModelDirectory` (the external-data path check)
// is exported from `@modelaudit/format-onnx/parse`, so importing the plugin costs only its sniffer.

export default definePlugin({
  meta: { name: "@modelaudit/format-onnx", version: __PACKAGE_VERSION__, namespace: "onnx" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [onnxHandler],
});
