import { API_VERSION, definePlugin } from "@modelaudit/core";
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
  apiVersion: API_VERSION,
  formats: [elfHandler, peHandler, machOHandler, shebangScriptHandler],
});
