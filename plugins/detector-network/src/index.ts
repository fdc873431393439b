import { API_VERSION, definePlugin } from "@modelaudit/core";
import { networkDetector } from "./network-detector.js";
import { validateOptions } from "./options.js";
import blocklistedHost from "./rules/blocklisted-host.js";
import c2Indicator from "./rules/c2-indicator.js";
import networkImport from "./rules/network-import.js";
import publicIp from "./rules/public-ip.js";
import urlInMetadata from "./rules/url-in-metadata.js";

export type { NetworkOptions } from "./options.js";
export { networkDetector };

export default definePlugin({
  meta: { name: "@modelaudit/detector-network", version: __PACKAGE_VERSION__, namespace: "network" },
  apiVersion: API_VERSION,
  validateOptions,
  detectors: [networkDetector],
  rules: {
    "url-in-metadata": urlInMetadata,
    "c2-indicator": c2Indicator,
    "network-import": networkImport,
    "public-ip": publicIp,
    "blocklisted-host": blocklistedHost,
  },
});
