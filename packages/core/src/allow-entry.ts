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

/**
 * The test an `allow` option stands for: `/source/flags` entries as regular expressions, other
 * entries matched exactly in each form `spellings` gives (as written, by default). Entries that are
 * not non-empty strings or do not compile are skipped and described in `problems` (a bad entry never
 * stops a scan).
 */
export function allowList(
  raw: unknown,
  problems: string[],
  spellings: (entry: string) => readonly string[] = (entry) => [entry],
): (value: string) => boolean {
  const exact = new Set<string>();
  const expressions: RegExp[] = [];
  for (const [index, entry] of (Array.isArray(raw) ? raw : []).entries()) {
    if (typeof entry !== "string" || entry.length === 0) {
      problems.push(`allow[${index}]: expected a non-empty string`);
      continue;
    }
    let expression: RegExp | undefined;
    try {
      expression = allowEntryRegExp(entry);
    } catch (error) {
      problems.push(`allow[${index}]: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (expression) expressions.push(expression);
    else for (const spelling of spellings(entry)) exact.add(spelling);
  }
  return (value) => exact.has(value) || expressions.some((expression) => expression.test(value));
}
