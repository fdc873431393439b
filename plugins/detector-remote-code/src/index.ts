import { definePlugin, rulesByName } from "@modelaudit/core";
import { remoteCodeDetector } from "./remote-code-detector.js";
import customCode from "./rules/custom-code.js";
import externalRepository from "./rules/external-repository.js";

export { remoteCodeDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-remote-code", version: __PACKAGE_VERSION__, namespace: "remote-code" },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  detectors: [remoteCodeDetector],
  rules: rulesByName([externalRepository, customCode]),
});
