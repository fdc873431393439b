import { definePlugin } from "@modelaudit/core";
import { torchscriptHandler } from "./torchscript-handler.js";

// The handler imports its TorchScript scanner on first use; `findUses` is exported from
// `@modelaudit/format-pytorch/parse`, so importing the plugin costs only its sniffer.

export default definePlugin({
  meta: { name: "@modelaudit/format-pytorch", version: __PACKAGE_VERSION__, namespace: "pytorch" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // TorchScript archives are zips: the archive handler opens their members for this one to read.
  requires: ["@modelaudit/format-archive"],
  formats: [torchscriptHandler],
});
