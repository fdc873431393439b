import { isSeverity, type Severity } from "@modelaudit/core";
import { allowList } from "@modelaudit/core/detector";

/** A user pattern, reported under `secrets/custom-pattern`. */
export interface CustomPattern {
  id: string;
  /** Regular expression source (JavaScript syntax, no inline modifiers). */
  regex: string;
  /** Extra flags besides the global flag: any of `i`, `m`, `s`, `u`. */
  flags?: string;
  severity?: Severity;
  description?: string;
}

/** Options of the secrets detector, from `options.secrets` in the config. */
export interface SecretsOptions {
  /** User patterns, reported under `secrets/custom-pattern`. */
  patterns: CustomPattern[];
  /** Values to ignore: a plain string matches exactly; `/source/flags` is a regular expression. */
  allow: string[];
  /** Most findings reported per artifact, so a file full of keys cannot flood a report. */
  maxFindings: number;
}

export const DEFAULT_OPTIONS: SecretsOptions = { patterns: [], allow: [], maxFindings: 500 };

export interface CompiledCustomPattern {
  id: string;
  regex: RegExp;
  severity: Severity;
  description: string;
}

export interface ResolvedOptions {
  patterns: CompiledCustomPattern[];
  isAllowed: (value: string) => boolean;
  maxFindings: number;
  /** Option entries that were ignored, and why (a bad regex never stops a scan). */
  problems: string[];
}

export function resolveOptions(options: Readonly<Record<string, unknown>>): ResolvedOptions {
  const problems: string[] = [];
  const patterns: CompiledCustomPattern[] = [];
  const rawPatterns = Array.isArray(options.patterns) ? options.patterns : [];
  for (const [index, entry] of rawPatterns.entries()) {
    const candidate = entry as Partial<CustomPattern> | null;
    if (typeof candidate !== "object" || candidate === null || typeof candidate.regex !== "string") {
      problems.push(`patterns[${index}].regex: expected a regular expression string`);
      continue;
    }
    const id = typeof candidate.id === "string" && candidate.id.length > 0 ? candidate.id : `pattern-${index}`;
    const flags = typeof candidate.flags === "string" ? candidate.flags.replace(/[^imsu]/g, "") : "";
    try {
      patterns.push({
        id,
        regex: new RegExp(candidate.regex, `${[...new Set(flags)].join("")}g`),
        severity: isSeverity(candidate.severity) ? candidate.severity : "warning",
        description: typeof candidate.description === "string" ? candidate.description : `custom pattern ${id}`,
      });
    } catch (error) {
      problems.push(`patterns[${index}].regex: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const isAllowed = allowList(options.allow, problems);
  const maxFindings = options.maxFindings;
  return {
    patterns,
    isAllowed,
    maxFindings:
      typeof maxFindings === "number" && Number.isInteger(maxFindings) && maxFindings > 0
        ? maxFindings
        : DEFAULT_OPTIONS.maxFindings,
    problems,
  };
}
