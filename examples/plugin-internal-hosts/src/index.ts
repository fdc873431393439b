import { definePlugin, rulesByName } from "@modelaudit/core";
import { internalHostsDetector } from "./internal-hosts-detector.js";
import internalHostname from "./rules/internal-hostname.js";

export { findInternalHosts, PRIVATE_SUFFIXES } from "./find-hosts.js";
export type { InternalHostsOptions } from "./options.js";
export { internalHostsDetector };

export default definePlugin({
  // The namespace prefixes rule ids (`internal-hosts/internal-hostname`) and names the options key.
  meta: { name: "modelaudit-plugin-internal-hosts", version: __PACKAGE_VERSION__, namespace: "internal-hosts" },
  // The plugin API this package is written for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // A loader, not the schema: zod (about 100 modules) loads only when a config sets this plugin's options.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [internalHostsDetector],
  rules: rulesByName([internalHostname]),
});
