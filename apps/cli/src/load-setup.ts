import { existsSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError, type Engine, loadEngine, PluginError } from "@modelaudit/core/engine";
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

export interface Setup extends Engine {
  /** The config file used, if any. */
  configFile?: string;
}

/** Core's engine setup with the CLI's config-file lookup; every failure is a UsageError (exit 2). */
export async function loadSetup(options: SetupOptions): Promise<Setup> {
  const configFile = findConfigFile(options.cwd, options.configFile);
  try {
    const engine = await loadEngine({
      cwd: options.cwd,
      ...(configFile ? { configFile } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.extraPlugins ? { extraPlugins: options.extraPlugins } : {}),
      // Names not installed in the user's project resolve from the CLI's own dependencies (the preset).
      fallbackResolve: (name) => import.meta.resolve(name),
    });
    return configFile ? { ...engine, configFile } : engine;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PluginError) throw new UsageError(error.message);
    throw error;
  }
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
