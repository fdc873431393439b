import type { OptionsSchema } from "./option-schema.js";

/**
 * What a plugin declares as `optionsSchema`: the zod schema itself, or a loader that imports it. A
 * loader keeps zod (about 100 modules) off the start-up path: it runs only for a namespace the
 * config sets and when the config's JSON Schema is generated.
 */
export type OptionsSchemaSource = OptionsSchema | (() => Promise<OptionsSchema>);

/**
 * The schema a plugin declares, its loader run when it is one; undefined when it declares none.
 * Throws when a loader gives something that is not a zod schema, so the caller names the plugin.
 */
export async function loadOptionsSchema(source: OptionsSchemaSource | undefined): Promise<OptionsSchema | undefined> {
  if (source === undefined) return undefined;
  const schema = typeof source === "function" ? await source() : source;
  if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== "function") {
    throw new TypeError("optionsSchema() did not give a zod schema");
  }
  return schema;
}
