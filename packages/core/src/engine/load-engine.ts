import path from "node:path";
import {
  type Config,
  ConfigError,
  loadConfigFile,
  pluginsToLoad,
  type ResolvedConfig,
  resolveConfig,
} from "../config.js";
import { loadPlugins } from "../plugin-loader.js";
import { missingRequirements } from "./plugin-requirements.js";
import { buildRegistry, PluginError, type Registry } from "./registry.js";
import { validateConfig } from "./validate-config.js";

export interface EngineOptions {
  /** Where names and relative paths resolve from when no config file says. */
  cwd: string;
  /** An absolute path to a JSON config file, already located by the caller. */
  configFile?: string;
  /** Applied over the config file (command-line flags, request fields). */
  overrides?: Config;
  /** Plugins loaded instead of the configured ones (npm names or paths relative to the cwd). */
  pluginNames?: readonly string[];
  /** Plugins loaded after the configured ones (npm names or paths relative to the cwd). */
  extraPlugins?: readonly string[];
  /** Resolves a name the user's project does not have, from the caller's own dependencies. */
  fallbackResolve?: (name: string) => string;
}

/** What every scan of an app needs, built once: the resolved config, the registry, plugin module URLs. */
export interface Engine {
  config: ResolvedConfig;
  registry: Registry;
  /** Module URL of each loaded plugin, for worker threads. */
  pluginUrls: string[];
}

/**
 * Reads the config, loads the plugins and builds the registry, the same way for the CLI and the
 * server. Throws ConfigError (bad config, bad plugin options, unknown namespace or rule id) or PluginError (a plugin that does not load).
 */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const { cwd, configFile } = options;
  const fileConfig = configFile ? await loadConfigFile(configFile) : undefined;

  // Relative plugin paths in a config file are relative to that file; given directly, to the cwd.
  const fromCwd = (name: string) => (isRelativePath(name) ? path.resolve(cwd, name) : name);
  const fromFile = (name: string) =>
    configFile && isRelativePath(name) ? path.resolve(path.dirname(configFile), name) : name;
  // Flags and request fields win over the file, key by key; `extends` defaults to the preset.
  const extendsList = options.overrides?.extends?.map(fromCwd) ?? fileConfig?.extends?.map(fromFile);
  const plugins = options.overrides?.plugins?.map(fromCwd) ?? fileConfig?.plugins?.map(fromFile);
  const configured = options.pluginNames ? options.pluginNames.map(fromCwd) : pluginsToLoad(extendsList, plugins);
  const pluginNames = [...new Set([...configured, ...(options.extraPlugins ?? []).map(fromCwd)])];

  const config = resolveConfig(fileConfig, options.overrides);
  config.plugins = pluginNames;
  const loaded = await loadPlugins(pluginNames, {
    from: configFile ? path.dirname(configFile) : cwd,
    ...(options.fallbackResolve ? { fallbackResolve: options.fallbackResolve } : {}),
  });
  const registry = buildRegistry(loaded.entries);
  const missing = missingRequirements(registry);
  if (missing.length > 0) throw new PluginError(missing.join("\n"));

  // Options and rule ids are checked now, so a typo stops start-up instead of disarming a check.
  const problems = await validateConfig(config, registry);
  if (problems.length > 0) {
    const label = configFile ?? "config";
    throw new ConfigError(problems.map((problem) => `${label}: ${problem}`).join("\n"));
  }
  return { config, registry, pluginUrls: loaded.urls };
}

function isRelativePath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name === "." || name === "..";
}
