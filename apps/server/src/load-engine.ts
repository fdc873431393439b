import path from "node:path";
import {
  buildRegistry,
  type Config,
  ConfigError,
  DEFAULT_PLUGINS,
  loadConfigFile,
  loadPlugins,
  PluginError,
  type Registry,
  type ResolvedConfig,
  resolveConfig,
} from "@modelaudit/core";

export interface EngineOptions {
  /** A JSON config file, read like the CLI's `--config`. */
  configFile?: string;
  /** A config object, applied over the file. */
  config?: Config;
  /** Plugin or preset names (npm names or paths); default: the config's, else the recommended preset. */
  pluginNames?: readonly string[];
  /** Where npm names and relative paths resolve from when no config file says; default: the process cwd. */
  cwd?: string;
}

/** The registry and base config every scan of this server uses, built once at start-up. */
export interface Engine {
  config: ResolvedConfig;
  registry: Registry;
  /** Module URL of each loaded plugin, for worker threads. */
  pluginUrls: string[];
}

/** A config or plugin problem found at start-up: the server refuses to start with a clear message. */
export class EngineSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineSetupError";
  }
}

/** The CLI's setup (apps/cli load-setup.ts), without its flags: same defaults, same resolution rules. */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const cwd = options.cwd ?? process.cwd();
  const configFile = options.configFile !== undefined ? path.resolve(cwd, options.configFile) : undefined;
  let fileConfig: Config | undefined;
  if (configFile) {
    try {
      fileConfig = await loadConfigFile(configFile);
    } catch (error) {
      if (error instanceof ConfigError) throw new EngineSetupError(error.message);
      throw error;
    }
  }

  // Relative plugin paths in a config file are relative to that file; given directly, to the cwd.
  const pluginNames = options.pluginNames
    ? options.pluginNames.map((name) => (isRelativePath(name) ? path.resolve(cwd, name) : name))
    : (options.config?.plugins ?? fileConfig?.plugins ?? DEFAULT_PLUGINS).map((name) =>
        configFile && isRelativePath(name) ? path.resolve(path.dirname(configFile), name) : name,
      );
  const uniquePluginNames = [...new Set(pluginNames)];

  const config = resolveConfig(fileConfig, options.config);
  config.plugins = uniquePluginNames;

  let registry: Registry;
  let pluginUrls: string[];
  try {
    // Names not installed beside the config resolve from the server's own dependencies (the preset).
    const loaded = await loadPlugins(uniquePluginNames, {
      from: configFile ? path.dirname(configFile) : cwd,
      fallbackResolve: (name) => import.meta.resolve(name),
    });
    registry = buildRegistry(loaded.entries);
    pluginUrls = loaded.urls;
  } catch (error) {
    if (error instanceof PluginError) throw new EngineSetupError(error.message);
    throw error;
  }

  // A misspelt rule id would silently disable nothing.
  for (const ruleId of Object.keys(config.rules)) {
    if (!registry.rules.has(ruleId)) throw new EngineSetupError(`unknown rule id "${ruleId}" in the config`);
  }
  return { config, registry, pluginUrls };
}

function isRelativePath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name === "." || name === "..";
}
