import { API_VERSION, definePlugin } from "@modelaudit/core";
import { tfliteHandler } from "./tflite-handler.js";

export { builtinOperatorName, tensorTypeName } from "./builtin-operators.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-tflite", version: __PACKAGE_VERSION__, namespace: "tflite" },
  apiVersion: API_VERSION,
  formats: [tfliteHandler],
});
