import { definePlugin } from "@modelaudit/core";
import { safetensorsIndexHandler, weightsIndexHandler } from "./index-handler.js";
import { safetensorsHandler } from "./safetensors-handler.js";

export { DTYPE_BITS } from "./dtypes.js";
export type { HeaderProblem, ParsedHeader, TensorEntry } from "./header.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-safetensors", version: __PACKAGE_VERSION__, namespace: "safetensors" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [safetensorsHandler, safetensorsIndexHandler, weightsIndexHandler],
});
