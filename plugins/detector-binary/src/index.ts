import { definePlugin, rulesByName } from "@modelaudit/core";
import { BINARY_RULES, binaryDetector } from "./binary-detector.js";

export { EXTENSION_TABLE } from "./extension-table.js";
export { type BinaryOptions, DEFAULT_OPTIONS as defaultOptions } from "./options.js";

export default definePlugin({
  meta: { name: "@modelaudit/detector-binary", version: __PACKAGE_VERSION__, namespace: "binary" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // Its sniffers say what is an executable: at the start of a source (labels) and inside bytes (identify).
  requires: ["@modelaudit/format-executable"],
  // Imported only to check options a config sets (or to describe them): zod stays off the start-up path.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [binaryDetector],
  rules: rulesByName(BINARY_RULES),
});
