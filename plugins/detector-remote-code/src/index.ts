import { definePlugin, rulesByName } from "@modelaudit/core";
import { REMOTE_CODE_RULES, remoteCodeDetector } from "./remote-code-detector.js";

export { remoteCodeDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-remote-code", version: __PACKAGE_VERSION__, namespace: "remote-code" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  detectors: [remoteCodeDetector],
  rules: rulesByName(REMOTE_CODE_RULES),
});
