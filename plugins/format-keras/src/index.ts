import { definePlugin } from "@modelaudit/core";
import { kerasH5Handler } from "./keras-h5-handler.js";
import { kerasV3Handler } from "./keras-v3-handler.js";

// The handlers' parsing code loads on their first file; what other packages reuse of it is exported
// from `@modelaudit/format-keras/parse`, so importing the plugin costs only its sniffers.
export { checkSuperblock, findSignature } from "./hdf5-signature.js";
export { isKerasModule } from "./keras-modules.js";
export { kerasH5Handler, kerasV3Handler };

export default definePlugin({
  meta: { name: "@modelaudit/format-keras", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // A .keras model is a zip: the archive handler opens its config.json and metadata.json for this one.
  requires: ["@modelaudit/format-archive"],
  formats: [kerasH5Handler, kerasV3Handler],
});
