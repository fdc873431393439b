import { definePlugin } from "@modelaudit/core";
import { numpyHandler } from "./numpy-handler.js";
import { pickleHandler } from "./pickle-handler.js";

export { looksLikePickle } from "./looks-like-pickle.js";
export { numpyHandler } from "./numpy-handler.js";
export { pickleHandler } from "./pickle-handler.js";
export {
  type MachineHooks,
  type MachineMode,
  type MachineOptions,
  PickleMachine,
  type StreamResult,
} from "./pickle-machine.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-pickle", version: __PACKAGE_VERSION__, namespace: "pickle" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [pickleHandler, numpyHandler],
});
