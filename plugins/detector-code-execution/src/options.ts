import { optionProblems, z } from "@modelaudit/core/detector";
import type { PolicyOptions } from "./classify-global.js";

const ENTRY = /^[^\s:]+(?::[^\s:]+)?$/;

/** One allow or deny entry: `module:name`, `module.name` or `package.*` (never `.*`, which would allow everything). */
const entry = z.string().refine((value) => ENTRY.test(value) && value !== ".*", {
  error: (issue) => `must be "module:name", "module.name" or "package.*", got ${JSON.stringify(issue.input)}`,
});
const entries = (description: string) =>
  z.array(entry, { error: 'must be an array of strings like "mypackage.models:Net"' }).optional().describe(description);

/**
 * `options["code-execution"]`, checked when the engine is set up: an unknown key (`allowx`) or a
 * malformed entry would otherwise leave a global allowed or a deny list ignored without a word.
 */
export const optionsSchema = z.strictObject({
  allow: entries("Globals a model may import that are your own trusted code (not reported as non-allowlisted)."),
  deny: entries("Globals to treat as dangerous besides the built-in list (critical)."),
});

export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return optionProblems(optionsSchema, options);
}

/**
 * Reads `options.allow` / `options.deny` from the config. A malformed entry is a usage error and
 * throws with the field named, rather than silently allowing or ignoring anything.
 */
export function readPolicyOptions(options: Readonly<Record<string, unknown>>): PolicyOptions {
  const problems = validateOptions(options);
  if (problems.length > 0) throw new Error(`code-execution options.${problems[0]}`);
  return { allow: (options.allow as string[] | undefined) ?? [], deny: (options.deny as string[] | undefined) ?? [] };
}
