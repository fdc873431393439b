import { API_VERSION, definePlugin } from "@modelaudit/core";
import { onnxHandler } from "./onnx-handler.js";

export { dataTypeName } from "./data-types.js";
export { escapesModelDirectory } from "./external-data.js";
export { sniffOnnx } from "./sniff.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-onnx", version: __PACKAGE_VERSION__, namespace: "onnx" },
  apiVersion: API_VERSION,
  formats: [onnxHandler],
});
