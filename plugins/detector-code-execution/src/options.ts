import type { PolicyOptions } from "./classify-global.js";

const ENTRY = /^[^\s:]+(?::[^\s:]+)?$/;

/**
 * Reads `options.allow` / `options.deny` from the config. A malformed entry is a usage error and
 * throws with the field named, rather than silently allowing or ignoring anything.
 */
export function readPolicyOptions(options: Readonly<Record<string, unknown>>): PolicyOptions {
  return { allow: readList(options, "allow"), deny: readList(options, "deny") };
}

function readList(options: Readonly<Record<string, unknown>>, key: "allow" | "deny"): string[] {
  const value = options[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new Error(`code-execution options.${key} must be an array of strings like "mypackage.models:Net"`);
  }
  return value.map((entry, index) => {
    if (typeof entry !== "string" || !ENTRY.test(entry) || entry === ".*") {
      throw new Error(
        `code-execution options.${key}[${index}] must be "module:name", "module.name" or "package.*", got ${JSON.stringify(entry)}`,
      );
    }
    return entry;
  });
}
