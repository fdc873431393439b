import { definePlugin } from "@modelaudit/core";
import { lightgbmTextHandler } from "./lightgbm-text-handler.js";
import { xgboostJsonHandler } from "./xgboost-json-handler.js";
import { xgboostLegacyBinaryHandler } from "./xgboost-legacy-binary-handler.js";
import { xgboostUbjsonHandler } from "./xgboost-ubjson-handler.js";

// The handlers import their parsers on first use; the UBJSON reader is exported from
// `@modelaudit/format-xgboost/parse`, so importing the plugin costs only its sniffers.
export { lightgbmTextHandler, xgboostJsonHandler, xgboostLegacyBinaryHandler, xgboostUbjsonHandler };

export default definePlugin({
  meta: { name: "@modelaudit/format-xgboost", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [xgboostJsonHandler, xgboostUbjsonHandler, xgboostLegacyBinaryHandler, lightgbmTextHandler],
});
