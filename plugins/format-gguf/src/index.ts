import { API_VERSION, definePlugin } from "@modelaudit/core";
import { ggmlLegacyHandler } from "./ggml-legacy-handler.js";
import { ggufHandler } from "./gguf-handler.js";

export { type GgmlType, ggmlType } from "./ggml-types.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-gguf", version: __PACKAGE_VERSION__, namespace: "gguf" },
  apiVersion: API_VERSION,
  formats: [ggufHandler, ggmlLegacyHandler],
});
