import { definePlugin } from "@modelaudit/core";
import { ggmlLegacyHandler } from "./ggml-legacy-handler.js";
import { ggufHandler } from "./gguf-handler.js";

export { type GgmlType, ggmlType } from "./ggml-types.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-gguf", version: __PACKAGE_VERSION__, namespace: "gguf" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [ggufHandler, ggmlLegacyHandler],
});
