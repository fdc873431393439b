/**
 * `@modelaudit/core/engine`: what applications (the CLI, the service, reporters, benchmarks) use to
 * run scans: configuration, the registry, the scan itself and the report it returns. Plugins never
 * need it.
 */
export { type Config, ConfigError, type DigestRequest, type ResolvedConfig, resolveConfig } from "../config.js";
export { configJsonSchema } from "../config-schema.js";
export { resolvePackage } from "../plugin-loader.js";
export type { ExitCode, FileEntry, MemberDigest, RemoteSource, Report, SkippedEntry, Summary } from "../report.js";
export { exitCodeFor, type OmittedChecks, sortReport, summaryOf } from "../report.js";
export { settleDataFiles } from "./data-files.js";
export { type Engine, loadEngine } from "./load-engine.js";
export { listPlugins, type PluginListing } from "./plugin-listing.js";
export { buildRegistry, PluginError } from "./registry.js";
export { type ScanOptions, type ScanProgress, scan } from "./scan.js";
export type { ArtifactResult } from "./scan-artifact.js";
export { type WalkResult, walkPaths } from "./walk.js";
