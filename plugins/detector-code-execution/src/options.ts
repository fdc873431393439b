import { unknownOptions } from "@modelaudit/core/detector";
import type { PolicyOptions } from "./classify-global.js";

const ENTRY = /^[^\s:]+(?::[^\s:]+)?$/;
const KNOWN = ["allow", "deny"] as const;

/**
 * Checks `options["code-execution"]` when the engine is set up: an unknown key (`allowx`) or a
 * malformed entry would otherwise leave a global allowed or a deny list ignored without a word.
 */
export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return [...unknownOptions(options, KNOWN), ...KNOWN.flatMap((key) => listProblems(options, key))];
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

function listProblems(options: Readonly<Record<string, unknown>>, key: "allow" | "deny"): string[] {
  const value = options[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${key}: must be an array of strings like "mypackage.models:Net"`];
  return value.flatMap((entry, index) =>
    typeof entry !== "string" || !ENTRY.test(entry) || entry === ".*"
      ? [`${key}[${index}]: must be "module:name", "module.name" or "package.*", got ${JSON.stringify(entry)}`]
      : [],
  );
}
