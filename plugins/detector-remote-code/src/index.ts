import { API_VERSION, definePlugin } from "@modelaudit/core";
import { remoteCodeDetector } from "./remote-code-detector.js";
import customCode from "./rules/custom-code.js";
import externalRepository from "./rules/external-repository.js";

export { remoteCodeDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-remote-code", version: __PACKAGE_VERSION__, namespace: "remote-code" },
  apiVersion: API_VERSION,
  detectors: [remoteCodeDetector],
  rules: { "external-repository": externalRepository, "custom-code": customCode },
});
