/** An allow-list entry written `/source/flags` is a regular expression; any other entry is matched as written. */
const SLASHED = /^\/(.+)\/([a-z]*)$/s;

/**
 * The regular expression an allow-list entry `/source/flags` stands for, or undefined for a plain
 * entry. `g` and `y` are dropped: they make `test` keep state between values. Throws the engine's
 * error when the expression does not compile (the options schema reports it at start-up).
 */
export function allowEntryRegExp(entry: string): RegExp | undefined {
  const slashed = SLASHED.exec(entry);
  if (!slashed) return undefined;
  return new RegExp(slashed[1] as string, (slashed[2] as string).replace(/[gy]/g, ""));
}
