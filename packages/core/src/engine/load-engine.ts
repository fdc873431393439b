import path from "node:path";
import {
  type Config,
  ConfigError,
  DEFAULT_PLUGINS,
  loadConfigFile,
  type ResolvedConfig,
  resolveConfig,
} from "../config.js";
import { loadPlugins } from "../plugin-loader.js";
import { buildRegistry, type Registry } from "./registry.js";

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
 * server. Throws ConfigError (bad config, unknown rule id) or PluginError (a plugin that does not load).
 */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const { cwd, configFile } = options;
  const fileConfig = configFile ? await loadConfigFile(configFile) : undefined;

  // Relative plugin paths in a config file are relative to that file; given directly, to the cwd.
  const fromCwd = (name: string) => (isRelativePath(name) ? path.resolve(cwd, name) : name);
  const configured = options.pluginNames
    ? options.pluginNames.map(fromCwd)
    : (options.overrides?.plugins ?? fileConfig?.plugins ?? DEFAULT_PLUGINS).map((name) =>
        configFile && isRelativePath(name) ? path.resolve(path.dirname(configFile), name) : name,
      );
  const pluginNames = [...new Set([...configured, ...(options.extraPlugins ?? []).map(fromCwd)])];

  const config = resolveConfig(fileConfig, options.overrides);
  config.plugins = pluginNames;
  const loaded = await loadPlugins(pluginNames, {
    from: configFile ? path.dirname(configFile) : cwd,
    ...(options.fallbackResolve ? { fallbackResolve: options.fallbackResolve } : {}),
  });
  const registry = buildRegistry(loaded.entries);

  // A misspelt rule id would silently disable nothing.
  for (const ruleId of Object.keys(config.rules)) {
    if (!registry.rules.has(ruleId)) {
      throw new ConfigError(`unknown rule id "${ruleId}" (run \`modelaudit plugins\` to list the loaded rules)`);
    }
  }
  return { config, registry, pluginUrls: loaded.urls };
}

function isRelativePath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name === "." || name === "..";
}
