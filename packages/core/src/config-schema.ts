import { CONFIG_KEYS, DEFAULT_PLUGINS, LEVELS } from "./config.js";
import { SEVERITIES } from "./findings.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { loadOptionsSchema } from "./options-loader.js";
import type { Plugin } from "./plugin.js";

const DESCRIPTIONS: Record<(typeof CONFIG_KEYS)[number], string> = {
  $schema: "Where an editor finds this schema.",
  extends: `Presets or plugins the config builds on (default ${JSON.stringify(DEFAULT_PLUGINS)}); [] loads only "plugins".`,
  plugins: "npm names or paths of plugins or presets, loaded in addition to extends.",
  rules: "Rule id (namespace/rule) to off or a severity replacing the rule's default.",
  ignore:
    "Picomatch patterns of files and directories not to scan, relative to each scan root; without a slash a pattern matches a base name at any depth; !pattern brings a path back.",
  failOn: "Lowest severity that makes the scan exit 1 (default warning).",
  level: "Scan depth (default standard).",
  limits: "Bounds on hostile input; each a positive number.",
  options: "Options of each plugin by its namespace, checked against the plugin's schema at start-up.",
};

// Shown by editors and in the README's generated config reference; every limit must have one.
const LIMIT_DESCRIPTIONS: Record<keyof Limits, string> = {
  maxDepth: "Deepest nesting of archives and embedded streams (a top-level file is depth 0).",
  maxMembers: "Most members scanned inside one top-level file, across all nesting.",
  maxInflatedBytes: "Most bytes decompressed for one top-level file, across all nesting.",
  maxCompressionRatio:
    "Largest compression ratio (inflated / compressed) of one member or stream once its output passes ratioMinBytes: past it, a bomb.",
  ratioMinBytes:
    "Output of one member or stream below which the ratio is not judged (decoded and scanned in full); keep it below maxInMemoryBytes.",
  maxInMemoryBytes: "Largest stream a handler may hold in memory at once (a pickle, a header, a member).",
  timeoutMs: "Wall-clock bound per top-level file, in milliseconds.",
  maxFacts: "Most facts one file may emit; past it the rest are dropped and the file is inconclusive.",
};

/**
 * The JSON Schema of `modelaudit.config.json`, built from the same constants the parser checks, so
 * the two cannot drift. `plugins` adds the options schema of each (the checked-in file has the
 * recommended preset's); a namespace not described stays any object, checked at start-up by its plugin.
 * Async: a plugin's schema may be a loader (zod is loaded only here and for options a config sets).
 */
export async function configJsonSchema(plugins: readonly Plugin[] = []): Promise<Record<string, unknown>> {
  const strings = { type: "array", items: { type: "string" } };
  const properties: Record<string, Record<string, unknown>> = {
    $schema: { type: "string" },
    extends: strings,
    plugins: strings,
    rules: { type: "object", additionalProperties: { enum: ["off", ...SEVERITIES] } },
    ignore: strings,
    failOn: { enum: [...SEVERITIES] },
    level: { enum: [...LEVELS] },
    limits: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        Object.entries(DEFAULT_LIMITS).map(([key, value]) => [
          key,
          { description: LIMIT_DESCRIPTIONS[key as keyof Limits], type: "number", exclusiveMinimum: 0, default: value },
        ]),
      ),
    },
    options: { type: "object", ...(await pluginOptions(plugins)), additionalProperties: { type: "object" } },
  };
  for (const key of CONFIG_KEYS) {
    properties[key] = { description: DESCRIPTIONS[key], ...properties[key] };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://github.com/modelaudit-ts/modelaudit-ts/packages/core/schema/config.schema.json",
    title: "modelaudit.config.json",
    type: "object",
    additionalProperties: false,
    properties,
  };
}

/** `properties` of `options`: each plugin's namespace and the JSON Schema of its options, sorted by namespace. */
async function pluginOptions(plugins: readonly Plugin[]): Promise<{ properties?: Record<string, unknown> }> {
  const described = plugins
    .filter((plugin) => plugin.optionsSchema !== undefined)
    .map((plugin) => [plugin.meta.namespace ?? plugin.meta.name, plugin] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  if (described.length === 0) return {};
  const { optionsJsonSchema } = await import("./option-schema.js");
  const properties: Record<string, unknown> = {};
  for (const [namespace, plugin] of described) {
    const schema = optionsJsonSchema((await loadOptionsSchema(plugin.optionsSchema)) as never);
    const keys = Object.keys((schema.properties as object | undefined) ?? {});
    const description = `Options of ${plugin.meta.name}${keys.length > 0 ? `: ${keys.join(", ")}` : ""}.`;
    properties[namespace] = { description, ...schema };
  }
  return { properties };
}
