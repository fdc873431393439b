import { readFile } from "node:fs/promises";
import { isSeverity, type Severity } from "./findings.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { ScanLevel } from "./plugin.js";

/** What users write in `modelaudit.config.json`, and what CLI flags override. */
export interface Config {
  /**
   * Presets (or plugins) the config builds on. Default: the recommended preset. `[]` loads only
   * `plugins`, so turning the built-in detectors off is always written out, never implied.
   */
  extends?: string[];
  /** npm package names of plugins or presets to load in addition to `extends`. */
  plugins?: string[];
  /** Rule id → `off` or a severity that replaces the rule's default. */
  rules?: Record<string, "off" | Severity>;
  /** Path patterns (`*`, `**`, `?`) of files and directories not to scan. */
  ignore?: string[];
  failOn?: Severity;
  level?: ScanLevel;
  limits?: Partial<Limits>;
  /** Per-plugin options by namespace, e.g. `{ "code-execution": { "allow": ["mypkg.Model"] } }`. */
  options?: Record<string, Record<string, unknown>>;
}

export interface ResolvedConfig {
  /** Everything that is loaded: `extends` (default: the recommended preset), then `plugins`. */
  plugins: string[];
  rules: Record<string, "off" | Severity>;
  ignore: string[];
  failOn: Severity;
  level: ScanLevel;
  limits: Limits;
  options: Record<string, Record<string, unknown>>;
  /**
   * Digests the report should carry beyond each file's SHA-256 (set by programs such as
   * `modelaudit hash`, not by config files): SHA-512, and the digests of every archive member.
   */
  digests?: DigestRequest;
}

export interface DigestRequest {
  sha512?: boolean;
  members?: boolean;
}

export const DEFAULT_PLUGINS = ["@modelaudit/preset-recommended"];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const LEVELS: readonly ScanLevel[] = ["quick", "standard", "thorough"];

/** Every top-level key of a config file; anything else is a typo and an error. */
export const CONFIG_KEYS = [
  "$schema",
  "extends",
  "plugins",
  "rules",
  "ignore",
  "failOn",
  "level",
  "limits",
  "options",
] as const;

/** Validates an untrusted config object; throws ConfigError naming the bad field. */
export function parseConfig(value: unknown, where = "config"): Config {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected a JSON object`);
  }
  const input = value as Record<string, unknown>;
  const known = new Set<string>(CONFIG_KEYS);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      throw new ConfigError(
        `${where}: unknown field "${key}" (known: ${[...known].filter((name) => name !== "$schema").join(", ")})`,
      );
    }
  }
  const config: Config = {};
  if (input.extends !== undefined) config.extends = stringArray(input.extends, `${where}.extends`);
  if (input.plugins !== undefined) config.plugins = stringArray(input.plugins, `${where}.plugins`);
  if (input.ignore !== undefined) config.ignore = stringArray(input.ignore, `${where}.ignore`);
  if (input.failOn !== undefined) {
    if (!isSeverity(input.failOn)) throw new ConfigError(`${where}.failOn: expected critical, warning or info`);
    config.failOn = input.failOn;
  }
  if (input.level !== undefined) {
    if (!LEVELS.includes(input.level as ScanLevel)) {
      throw new ConfigError(`${where}.level: expected quick, standard or thorough`);
    }
    config.level = input.level as ScanLevel;
  }
  if (input.rules !== undefined) {
    const rules = objectOf(input.rules, `${where}.rules`);
    config.rules = {};
    for (const [ruleId, setting] of Object.entries(rules)) {
      if (setting !== "off" && !isSeverity(setting)) {
        throw new ConfigError(`${where}.rules["${ruleId}"]: expected off, critical, warning or info`);
      }
      config.rules[ruleId] = setting;
    }
  }
  if (input.limits !== undefined) {
    const limits = objectOf(input.limits, `${where}.limits`);
    config.limits = {};
    for (const [key, limit] of Object.entries(limits)) {
      if (!(key in DEFAULT_LIMITS)) throw new ConfigError(`${where}.limits: unknown limit "${key}"`);
      if (typeof limit !== "number" || !(limit > 0)) {
        throw new ConfigError(`${where}.limits.${key}: expected a positive number`);
      }
      config.limits[key as keyof Limits] = limit;
    }
  }
  if (input.options !== undefined) {
    const options = objectOf(input.options, `${where}.options`);
    config.options = {};
    for (const [namespace, pluginOptions] of Object.entries(options)) {
      config.options[namespace] = objectOf(pluginOptions, `${where}.options.${namespace}`);
    }
  }
  return config;
}

export async function loadConfigFile(filePath: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config ${filePath}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, filePath);
}

/**
 * What to load: `extends` (default: the recommended preset) followed by `plugins`, each named once.
 * Naming a plugin adds it; it never silently drops the preset's detectors.
 */
export function pluginsToLoad(extendsList: readonly string[] | undefined, plugins: readonly string[] = []): string[] {
  return [...new Set([...(extendsList ?? DEFAULT_PLUGINS), ...plugins])];
}

/** Later configs win field by field; rules, options and limits merge by key. */
export function resolveConfig(...configs: (Config | undefined)[]): ResolvedConfig {
  let extendsList: string[] | undefined;
  let plugins: string[] | undefined;
  const resolved: ResolvedConfig = {
    plugins: [],
    rules: {},
    ignore: [],
    failOn: "warning",
    level: "standard",
    limits: { ...DEFAULT_LIMITS },
    options: {},
  };
  for (const config of configs) {
    if (!config) continue;
    if (config.extends) extendsList = config.extends;
    if (config.plugins) plugins = config.plugins;
    if (config.ignore) resolved.ignore = [...resolved.ignore, ...config.ignore];
    if (config.failOn) resolved.failOn = config.failOn;
    if (config.level) resolved.level = config.level;
    Object.assign(resolved.rules, config.rules);
    Object.assign(resolved.limits, config.limits);
    for (const [namespace, options] of Object.entries(config.options ?? {})) {
      resolved.options[namespace] = { ...resolved.options[namespace], ...options };
    }
  }
  resolved.plugins = pluginsToLoad(extendsList, plugins);
  return resolved;
}

function stringArray(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new ConfigError(`${where}: expected an array of strings`);
  }
  return value as string[];
}

function objectOf(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}
