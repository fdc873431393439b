import { definePlugin } from "@modelaudit/core";
import { torchscriptHandler } from "./torchscript-handler.js";

export { findUses, type LibraryLoad, type OperatorUse, type TorchScriptUses } from "./torchscript-uses.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-pytorch", version: __PACKAGE_VERSION__, namespace: "pytorch" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // TorchScript archives are zips: the archive handler opens their members for this one to read.
  requires: ["@modelaudit/format-archive"],
  formats: [torchscriptHandler],
});
