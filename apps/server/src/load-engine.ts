import path from "node:path";
import {
  type Config,
  ConfigError,
  type Engine,
  loadEngine as loadCoreEngine,
  PluginError,
} from "@modelaudit/core/engine";

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

export type { Engine };

/** A config or plugin problem found at start-up: the server refuses to start with a clear message. */
export class EngineSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineSetupError";
  }
}

/** Core's engine setup (the CLI's rules, without its flags); a problem stops start-up with its message. */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const cwd = options.cwd ?? process.cwd();
  try {
    return await loadCoreEngine({
      cwd,
      ...(options.configFile !== undefined ? { configFile: path.resolve(cwd, options.configFile) } : {}),
      ...(options.config ? { overrides: options.config } : {}),
      ...(options.pluginNames ? { pluginNames: options.pluginNames } : {}),
      // Names not installed beside the config resolve from the server's own dependencies (the preset).
      fallbackResolve: (name) => import.meta.resolve(name),
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PluginError) throw new EngineSetupError(error.message);
    throw error;
  }
}
