import { existsSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError, type Engine, loadEngine, PluginError } from "@modelaudit/core/engine";
import { UsageError } from "./usage-error.js";

export const DEFAULT_CONFIG_FILE = "modelaudit.config.json";
/** What a config without `extends` builds on (core's default). */
export const DEFAULT_PRESET = "@modelaudit/preset-recommended";

export interface SetupOptions {
  cwd: string;
  /** `--config FILE`; without it, `modelaudit.config.json` in the cwd when present. */
  configFile?: string;
  /** `--plugin`: loaded after the configured plugins. */
  extraPlugins?: readonly string[];
  /** Flags that override the config file. */
  overrides?: Config;
  /**
   * Resolves names the user's project does not have: pass `io.resolvePlugin`, so the `modelaudit`
   * package's preset is found (default: the CLI's own dependencies).
   */
  resolvePlugin?: (name: string) => string;
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
      // Names not installed in the user's project resolve from the package that runs the CLI.
      fallbackResolve: options.resolvePlugin ?? ((name) => import.meta.resolve(name)),
    });
    return configFile ? { ...engine, configFile } : engine;
  } catch (error) {
    if (error instanceof PluginError && error.message.includes(`cannot load plugin ${DEFAULT_PRESET}:`)) {
      throw new UsageError(`${error.message}\n${NO_DEFAULT_PRESET}`);
    }
    if (error instanceof ConfigError || error instanceof PluginError) throw new UsageError(error.message);
    throw error;
  }
}

// @modelaudit/cli carries no plugins: without the preset installed, say what to install or configure.
const NO_DEFAULT_PRESET =
  `@modelaudit/cli has no plugins of its own and loads ${DEFAULT_PRESET} unless the config says otherwise: ` +
  `install the modelaudit package (the CLI with every first-party plugin) or ${DEFAULT_PRESET}, ` +
  `or name your plugins in ${DEFAULT_CONFIG_FILE} with "extends": [] and "plugins": [...]`;

function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`config file ${explicit} does not exist`);
    return file;
  }
  const implicit = path.join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(implicit) ? implicit : undefined;
}
