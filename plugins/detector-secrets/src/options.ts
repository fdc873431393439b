import { isSeverity, type Severity } from "@modelaudit/core";
import { unknownOptions } from "@modelaudit/core/detector";

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

const SLASHED = /^\/(.+)\/([a-z]*)$/s;

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

  const exact = new Set<string>();
  const expressions: RegExp[] = [];
  const rawAllow = Array.isArray(options.allow) ? options.allow : [];
  for (const [index, entry] of rawAllow.entries()) {
    if (typeof entry !== "string" || entry.length === 0) {
      problems.push(`allow[${index}]: expected a non-empty string`);
      continue;
    }
    const slashed = SLASHED.exec(entry);
    if (!slashed) {
      exact.add(entry);
      continue;
    }
    try {
      expressions.push(new RegExp(slashed[1] as string, (slashed[2] as string).replace(/[gy]/g, "")));
    } catch (error) {
      problems.push(`allow[${index}]: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const maxFindings = options.maxFindings;
  return {
    patterns,
    isAllowed: (value) => exact.has(value) || expressions.some((expression) => expression.test(value)),
    maxFindings:
      typeof maxFindings === "number" && Number.isInteger(maxFindings) && maxFindings > 0
        ? maxFindings
        : DEFAULT_OPTIONS.maxFindings,
    problems,
  };
}

const PATTERN_KEYS = ["id", "regex", "flags", "severity", "description"];

/**
 * Checks the options at start-up. At scan time a bad entry is skipped so a scan never stops; at
 * start-up the same problems are errors, so a custom pattern with a broken regex is fixed, not lost.
 */
export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  const problems = unknownOptions(options, Object.keys(DEFAULT_OPTIONS));
  for (const key of ["patterns", "allow"]) {
    if (options[key] !== undefined && !Array.isArray(options[key])) problems.push(`${key}: must be an array`);
  }
  const maxFindings = options.maxFindings;
  if (
    maxFindings !== undefined &&
    !(typeof maxFindings === "number" && Number.isInteger(maxFindings) && maxFindings > 0)
  ) {
    problems.push(`maxFindings: expected a positive integer, got ${JSON.stringify(maxFindings)}`);
  }
  for (const [index, entry] of (Array.isArray(options.patterns) ? options.patterns : []).entries()) {
    if (typeof entry !== "object" || entry === null) continue; // reported by resolveOptions
    const pattern = entry as Record<string, unknown>;
    for (const key of Object.keys(pattern)) {
      if (!PATTERN_KEYS.includes(key))
        problems.push(`patterns[${index}].${key}: unknown field (known: ${PATTERN_KEYS.join(", ")})`);
    }
    if (pattern.severity !== undefined && !isSeverity(pattern.severity)) {
      problems.push(
        `patterns[${index}].severity: expected critical, warning or info, got ${JSON.stringify(pattern.severity)}`,
      );
    }
    if (pattern.flags !== undefined && (typeof pattern.flags !== "string" || /[^imsu]/.test(pattern.flags))) {
      problems.push(`patterns[${index}].flags: expected any of i, m, s, u, got ${JSON.stringify(pattern.flags)}`);
    }
  }
  return [...problems, ...resolveOptions(options).problems];
}
