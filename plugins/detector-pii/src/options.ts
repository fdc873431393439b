import { allowList } from "@modelaudit/core/detector";
import { DEFAULT_IGNORED_DOMAINS } from "./email-address.js";

/** Options of the PII detector, from `options.pii` in the config. */
export interface PiiOptions {
  /** Values to ignore: a plain string matches exactly (as written or normalised), `/source/flags` is a regular expression. */
  allow: string[];
  /** Distinct personal email addresses in one artifact from which they are a leaked user list (warning). */
  emailThreshold: number;
  /** Email domains never reported (subdomains included); added to the reserved documentation domains. */
  ignoreDomains: string[];
  /** Most findings reported per artifact, so a file full of records cannot flood a report. */
  maxFindings: number;
}

export const DEFAULT_OPTIONS: PiiOptions = {
  allow: [],
  emailThreshold: 20,
  ignoreDomains: DEFAULT_IGNORED_DOMAINS,
  maxFindings: 200,
};

export interface ResolvedOptions {
  isAllowed: (value: string) => boolean;
  emailThreshold: number;
  ignoredDomains: string[];
  maxFindings: number;
  /** Option entries that were ignored, and why (a bad regex never stops a scan). */
  problems: string[];
}

export function resolveOptions(options: Readonly<Record<string, unknown>>): ResolvedOptions {
  const problems: string[] = [];
  // A plain entry also matches lower-cased, and a card or account number however it is spaced.
  const isAllowed = allowList(options.allow, problems, (entry) =>
    /^[\d -]+$/.test(entry) ? [entry, entry.toLowerCase(), entry.replace(/[ -]/g, "")] : [entry, entry.toLowerCase()],
  );
  const ignoredDomains = [...DEFAULT_IGNORED_DOMAINS];
  const rawDomains = Array.isArray(options.ignoreDomains) ? options.ignoreDomains : [];
  for (const [index, entry] of rawDomains.entries()) {
    if (typeof entry === "string" && /^[A-Za-z0-9.-]+$/.test(entry)) ignoredDomains.push(entry.replace(/^\.+/, ""));
    else problems.push(`ignoreDomains[${index}]: expected a domain name, got ${JSON.stringify(entry)}`);
  }
  return {
    isAllowed,
    emailThreshold: positiveIntegerOr(
      options.emailThreshold,
      DEFAULT_OPTIONS.emailThreshold,
      "emailThreshold",
      problems,
    ),
    ignoredDomains,
    maxFindings: positiveIntegerOr(options.maxFindings, DEFAULT_OPTIONS.maxFindings, "maxFindings", problems),
    problems,
  };
}

function positiveIntegerOr(value: unknown, fallback: number, name: string, problems: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  problems.push(`${name}: expected a positive integer, got ${JSON.stringify(value)}`);
  return fallback;
}
