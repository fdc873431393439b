import { section, stringList } from "../read-option.js";

/** `options["supply-chain"].provenance`: which sources the user trusts and which names to protect. */
export interface ProvenanceOptions {
  /**
   * Trusted sources: `org` (every repository of it) or `org/name`, `*` within a segment. When the
   * list is set, a repository the model names as its own or its base that matches none is a warning.
   */
  trusted: TrustedSource[];
  /** Namespaces to protect from look-alikes besides the built-in popular ones (the user's own org). */
  protect: string[];
}

export interface TrustedSource {
  pattern: string;
  org: RegExp;
  /** Null when the pattern is an org alone (every repository). */
  name: RegExp | null;
}

/** Entries are trimmed before they are checked, as people paste them. */
export const TRUSTED = {
  test: (item: string) => /^[\w.*-]+(?:\/[\w.*-]+)?$/.test(item.trim()),
  what: '"org" or "org/name" (* allowed)',
};
export const PROTECTED = {
  test: (item: string) => /^[\w.-]{2,96}$/.test(item.trim()),
  what: "a namespace (letters, digits, - _ .)",
};
export const LIST_MESSAGE = "must be an array of non-empty strings";

export const DEFAULT_PROVENANCE_OPTIONS: ProvenanceOptions = { trusted: [], protect: [] };

/** `provenance` (undefined: defaults), each trusted pattern compiled; checked at start-up, see read-option.ts. */
export function readProvenanceOptions(raw: unknown): ProvenanceOptions {
  const value = section(raw, "provenance", ["trusted", "protect"]);
  if (value === undefined) return DEFAULT_PROVENANCE_OPTIONS;
  const list = (key: "trusted" | "protect", rule: typeof TRUSTED) =>
    stringList(value[key], `provenance.${key}`, rule.test, rule.what, LIST_MESSAGE).map((item) => item.trim());
  const trusted = list("trusted", TRUSTED).map((pattern) => {
    const [org, name] = pattern.split("/") as [string, string | undefined];
    return { pattern, org: segmentPattern(org), name: name === undefined ? null : segmentPattern(name) };
  });
  return { trusted, protect: list("protect", PROTECTED) };
}

/** Hub namespaces and names are case-insensitive. */
function segmentPattern(segment: string): RegExp {
  const body = segment.replace(/[.+?^${}()|[\]\\-]/g, "\\$&").replaceAll("*", "[^/]*");
  return new RegExp(`^${body}$`, "i");
}

/** True when the repository matches a trusted source. */
export function isTrusted(org: string, name: string, trusted: readonly TrustedSource[]): boolean {
  return trusted.some((source) => source.org.test(org) && (source.name === null || source.name.test(name)));
}
