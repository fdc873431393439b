/**
 * Helpers for a plugin's `validateOptions`: problems start with the key's path inside the plugin's
 * options, and the engine prefixes `options.<namespace>.`.
 */

/** One problem per key the plugin does not define: a typo must not silently leave a default in force. */
export function unknownOptions(options: Readonly<Record<string, unknown>>, known: readonly string[]): string[] {
  return Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => `${key}: unknown option (known: ${known.join(", ")})`);
}

/** A problem when a set value is not a positive integer (limits and counts). */
export function positiveIntegerOption(options: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = options[key];
  if (value === undefined || (typeof value === "number" && Number.isInteger(value) && value > 0)) return [];
  return [`${key}: expected a positive integer, got ${JSON.stringify(value)}`];
}

/** A problem when a set value is not a positive finite number. */
export function positiveNumberOption(options: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = options[key];
  if (value === undefined || (typeof value === "number" && Number.isFinite(value) && value > 0)) return [];
  return [`${key}: expected a positive number, got ${JSON.stringify(value)}`];
}
