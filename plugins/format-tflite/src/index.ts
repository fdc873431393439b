import { definePlugin } from "@modelaudit/core";
import { tfliteHandler } from "./tflite-handler.js";

export { builtinOperatorName, tensorTypeName } from "./builtin-operators.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-tflite", version: __PACKAGE_VERSION__, namespace: "tflite" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [tfliteHandler],
});
