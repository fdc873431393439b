import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Config,
  ConfigError,
  type Engine,
  loadEngine as loadCoreEngine,
  PluginError,
  resolvePackage,
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
  /**
   * Folders whose node_modules also serve plugin names neither the config's folder nor this package
   * resolves (plain paths: the options cross to scan threads). The `modelaudit` command passes its
   * preset's folder, so `modelaudit serve` finds the first-party plugins under a strict layout
   * (pnpm's), where they are the preset's dependencies and not this package's.
   */
  pluginDirs?: readonly string[];
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
      // Names not installed beside the config resolve from the server's own dependencies (the preset),
      // then from the folders the caller gave.
      fallbackResolve: (name) => fallbackResolve(name, options.pluginDirs ?? []),
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PluginError) throw new EngineSetupError(error.message);
    throw error;
  }
}

function fallbackResolve(name: string, pluginDirs: readonly string[]): string {
  try {
    return import.meta.resolve(name);
  } catch (error) {
    for (const dir of pluginDirs) {
      const file = resolvePackage(name, dir);
      if (file !== undefined) return pathToFileURL(file).href;
    }
    throw error;
  }
}
