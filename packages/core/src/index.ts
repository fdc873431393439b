export * from "./bounded-json.js";
export * from "./config.js";
export { configJsonSchema } from "./config-schema.js";
export * from "./engine/glob.js";
export { type Engine, type EngineOptions, loadEngine } from "./engine/load-engine.js";
export { listPlugins, type PluginListing } from "./engine/plugin-listing.js";
export { buildRegistry, PluginError, type RegisteredRule, type Registry } from "./engine/registry.js";
export { type ScanOptions, type ScanProgress, scan } from "./engine/scan.js";
export { validateConfig } from "./engine/validate-config.js";
export { walkPaths } from "./engine/walk.js";
export * from "./facts.js";
export * from "./findings.js";
export * from "./limits.js";
export { positiveIntegerOption, positiveNumberOption, unknownOptions } from "./option-checks.js";
export * from "./plugin.js";
export { type LoadedPlugins, loadPlugins } from "./plugin-loader.js";
export { type Problem, ProblemList, reportProblems, StopParsing } from "./problems.js";
export { readWhole } from "./read-whole.js";
export * from "./report.js";
export * from "./source.js";
export * from "./tensors.js";

/** Version of @modelaudit/core. */
export const CORE_VERSION: string = __PACKAGE_VERSION__;
