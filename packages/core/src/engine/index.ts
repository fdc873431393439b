/**
 * `@modelaudit/core/engine`: what applications (the CLI, the service, tests) use to run scans:
 * configuration, plugin loading, the registry, the walk and the scan itself. Plugins never need it.
 */
export * from "../config.js";
export { configJsonSchema } from "../config-schema.js";
export { type LoadedPlugins, loadPlugins } from "../plugin-loader.js";
export { exitCodeFor, REPORT_SCHEMA_VERSION, sortReport } from "../report.js";
export * from "./glob.js";
export { type Engine, type EngineOptions, loadEngine } from "./load-engine.js";
export { listPlugins, type PluginListing } from "./plugin-listing.js";
export { buildRegistry, PluginError, type RegisteredRule, type Registry } from "./registry.js";
export { type ScanOptions, type ScanProgress, scan } from "./scan.js";
export { validateConfig } from "./validate-config.js";
export { walkPaths } from "./walk.js";
