import type { PolicyOptions } from "./classify-global.js";

const ENTRY = /^[^\s:]+(?::[^\s:]+)?$/;

/** The messages of the start-up check (options-schema.ts) and of the reader, worded once. */
export const LIST_MESSAGE = 'must be an array of strings like "mypackage.models:Net"';
export const entryMessage = (value: unknown) =>
  `must be "module:name", "module.name" or "package.*", got ${JSON.stringify(value)}`;

/** One allow or deny entry: `module:name`, `module.name` or `package.*` (never `.*`, which would allow everything). */
export function isPolicyEntry(value: unknown): value is string {
  return typeof value === "string" && ENTRY.test(value) && value !== ".*";
}

/**
 * Reads `options.allow` / `options.deny` from the config (checked against the schema at start-up). A
 * malformed entry is a usage error and throws with the field named, rather than silently allowing or
 * ignoring anything; it reads without zod, which only the start-up check loads.
 */
export function readPolicyOptions(options: Readonly<Record<string, unknown>>): PolicyOptions {
  return { allow: readEntries(options, "allow"), deny: readEntries(options, "deny") };
}

function readEntries(options: Readonly<Record<string, unknown>>, key: "allow" | "deny"): string[] {
  const value = options[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`code-execution options.${key}: ${LIST_MESSAGE}`);
  const bad = value.findIndex((entry) => !isPolicyEntry(entry));
  if (bad !== -1) throw new Error(`code-execution options.${key}[${bad}]: ${entryMessage(value[bad])}`);
  return value as string[];
}
