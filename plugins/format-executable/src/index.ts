import { definePlugin } from "@modelaudit/core";
import { elfHandler, machOHandler, peHandler, shebangScriptHandler } from "./executable-handlers.js";

export { elfHandler, machOHandler, peHandler, shebangScriptHandler } from "./executable-handlers.js";
export {
  describeExecutable,
  type ExecutableFormat,
  type ExecutableMatch,
  MAX_HEADER_BYTES,
} from "./executable-headers.js";
export { describeShebang, type ShebangMatch } from "./shebang.js";

export default definePlugin({
  meta: { name: "@modelaudit/format-executable", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [elfHandler, peHandler, machOHandler, shebangScriptHandler],
});
