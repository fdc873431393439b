import { API_VERSION, definePlugin } from "@modelaudit/core";
import { safetensorsIndexHandler } from "./index-handler.js";
import { safetensorsHandler } from "./safetensors-handler.js";

export { DTYPE_BITS } from "./dtypes.js";
export type { HeaderProblem, ParsedHeader, TensorEntry } from "./header.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-safetensors", version: __PACKAGE_VERSION__, namespace: "safetensors" },
  apiVersion: API_VERSION,
  formats: [safetensorsHandler, safetensorsIndexHandler],
});
