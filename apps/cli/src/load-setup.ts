import { existsSync } from "node:fs";
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
import { UsageError } from "./usage-error.js";

export const DEFAULT_CONFIG_FILE = "modelaudit.config.json";

export interface SetupOptions {
  cwd: string;
  /** `--config FILE`; without it, `modelaudit.config.json` in the cwd when present. */
  configFile?: string;
  /** `--plugin`: loaded after the configured plugins. */
  extraPlugins?: readonly string[];
  /** Flags that override the config file. */
  overrides?: Config;
}

export interface Setup {
  config: ResolvedConfig;
  registry: Registry;
  /** Module URL of each loaded plugin, for worker threads. */
  pluginUrls: string[];
  /** The config file used, if any. */
  configFile?: string;
}

/** Reads the config, loads the plugins and builds the registry; every failure is a UsageError. */
export async function loadSetup(options: SetupOptions): Promise<Setup> {
  const { cwd } = options;
  const configFile = findConfigFile(cwd, options.configFile);
  let fileConfig: Config | undefined;
  if (configFile) {
    try {
      fileConfig = await loadConfigFile(configFile);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
  }

  // Relative plugin paths in a config file are relative to that file, on the command line to the cwd.
  const configured = (fileConfig?.plugins ?? DEFAULT_PLUGINS).map((name) =>
    configFile && isRelativePath(name) ? path.resolve(path.dirname(configFile), name) : name,
  );
  const extra = (options.extraPlugins ?? []).map((name) => (isRelativePath(name) ? path.resolve(cwd, name) : name));
  const pluginNames = [...new Set([...configured, ...extra])];

  const config = resolveConfig(fileConfig, options.overrides);
  config.plugins = pluginNames;

  let registry: Registry;
  let pluginUrls: string[];
  try {
    // Names not installed in the user's project resolve from the CLI's own dependencies (the preset).
    const loaded = await loadPlugins(pluginNames, { from: cwd, fallbackResolve: (name) => import.meta.resolve(name) });
    registry = buildRegistry(loaded.entries);
    pluginUrls = loaded.urls;
  } catch (error) {
    if (error instanceof PluginError) throw new UsageError(error.message);
    throw error;
  }

  // A misspelt rule id would silently disable nothing.
  for (const ruleId of Object.keys(config.rules)) {
    if (!registry.rules.has(ruleId)) {
      throw new UsageError(`unknown rule id "${ruleId}" (run \`modelaudit plugins\` to list the loaded rules)`);
    }
  }
  return configFile ? { config, registry, pluginUrls, configFile } : { config, registry, pluginUrls };
}

function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`config file ${explicit} does not exist`);
    return file;
  }
  const implicit = path.join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(implicit) ? implicit : undefined;
}

function isRelativePath(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name === "." || name === "..";
}
