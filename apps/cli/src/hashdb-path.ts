import { existsSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config, Engine } from "@modelaudit/core/engine";
import { DEFAULT_CONFIG_FILE } from "./load-setup.js";

/** The environment variable naming the known-hash database (after `--hashdb`, before the config). */
export const HASHDB_ENV = "MODELAUDIT_HASHDB";
const FILE_NAME = "known-hashes.sqlite";

/** The user's cache directory for modelaudit: XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. */
export function userCacheDirectory(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === "win32") return path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "modelaudit");
  if (platform === "darwin") return path.join(home, "Library", "Caches", "modelaudit");
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, ".cache"), "modelaudit");
}

export function defaultHashDbPath(env: Record<string, string | undefined>): string {
  return path.join(userCacheDirectory(env), FILE_NAME);
}

/**
 * Where the known-hash database is: `--hashdb FILE`, then `MODELAUDIT_HASHDB`, then the config's
 * `options["supply-chain"].hashdb`, then the default file in the user's cache directory.
 */
export function hashDbPath(options: {
  flag: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  configured?: string | undefined;
}): { file: string; from: "flag" | "env" | "config" | "default" } {
  if (options.flag !== undefined) return { file: path.resolve(options.cwd, options.flag), from: "flag" };
  const fromEnv = options.env[HASHDB_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return { file: path.resolve(options.cwd, fromEnv), from: "env" };
  if (options.configured !== undefined) return { file: path.resolve(options.cwd, options.configured), from: "config" };
  return { file: defaultHashDbPath(options.env), from: "default" };
}

/** `options["supply-chain"].hashdb` of the config file in `cwd` (or the one given), if any. */
export function configuredHashDb(cwd: string, configFile?: string): string | undefined {
  const file = path.resolve(cwd, configFile ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const config = JSON.parse(readFileSync(file, "utf8")) as Config;
    const value = config.options?.["supply-chain"]?.hashdb;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined; // the scan's own config loading reports a broken file
  }
}

/**
 * The database a scan looks up in, when the user named one: `--hashdb` or `MODELAUDIT_HASHDB` as
 * overrides of the config (which may name its own). Undefined otherwise.
 */
export function hashDbOverride(options: {
  flag: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}): Config | undefined {
  const { file, from } = hashDbPath(options);
  return from === "flag" || from === "env" ? { options: { "supply-chain": { hashdb: file } } } : undefined;
}

/**
 * With nothing named, the default database in the user's cache directory is used when it exists and
 * the supply-chain plugin is loaded (a scan never creates a database, and a config without the plugin
 * stays valid). Whichever database the scan uses is stamped with its size and time, so the result
 * cache (keyed on the options) is not reused after an import changed it.
 */
export function applyDefaultHashDb(setup: Engine, env: Record<string, string | undefined>): void {
  const loaded = setup.registry.plugins.some((plugin) => plugin.meta.namespace === "supply-chain");
  if (!loaded) return;
  const options = { ...setup.config.options["supply-chain"] };
  if (options.hashdb === undefined) {
    const file = defaultHashDbPath(env);
    if (!existsSync(file)) return;
    options.hashdb = file;
  }
  options.hashdbStamp = databaseStamp(String(options.hashdb));
  setup.config.options["supply-chain"] = options;
}

/** Size and modification time of the database and its write-ahead log. */
function databaseStamp(file: string): string {
  return [file, `${file}-wal`]
    .map((part) => {
      try {
        const info = statSync(part);
        return `${info.size}:${info.mtimeMs}`;
      } catch {
        return "-";
      }
    })
    .join("/");
}
