/**
 * Reading `options["supply-chain"]` at scan time, without zod: the engine checked the options
 * against `optionsSchema` at start-up (with the exact message for each problem), so here a value of
 * the wrong shape only happens when a caller skipped that check. It is then still a usage error
 * naming the field, never a silently disarmed check.
 */

/** A malformed option; the engine's start-up check reports the same problems before any scan. */
export class OptionError extends Error {
  override name = "OptionError";
}

export type RawOptions = Readonly<Record<string, unknown>>;

export function fail(path: string, message: string): never {
  throw new OptionError(`supply-chain options.${path}: ${message}`);
}

export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An object of known keys (undefined when absent); an unknown key is an error, as in the schema. */
export function section(value: unknown, path: string, known: readonly string[]): RawOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "must be an object");
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${path ? `${path}.` : ""}${key}`, `unknown option (known: ${known.join(", ")})`);
  }
  return value as RawOptions;
}

/** A list (empty when absent) whose every item passes `check`; `what` says what an item must be. */
export function stringList(
  value: unknown,
  path: string,
  check: (item: string) => boolean,
  what: string,
  listMessage: string,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, listMessage);
  return value.map((item, index) =>
    typeof item === "string" && check(item) ? item : fail(`${path}[${index}]`, `must be ${what}, got ${quote(item)}`),
  );
}

/** A true/false switch, `fallback` when absent. */
export function flagOf(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === "boolean" ? value : fail(path, `expected true or false, got ${quote(value)}`);
}

/** A string `accepts` (by default: not blank), undefined when absent. */
export function textOf(
  value: unknown,
  path: string,
  what: string,
  accepts = (text: string) => text.trim() !== "",
): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" && accepts(value) ? value : fail(path, `must be ${what}`);
}
