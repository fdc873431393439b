import { z } from "@modelaudit/core/detector";

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

const PATTERN = /^[\w.*-]+(?:\/[\w.*-]+)?$/;

export const DEFAULT_PROVENANCE_OPTIONS: ProvenanceOptions = { trusted: [], protect: [] };

/** Entries are trimmed before they are checked, as people paste them. */
const trimmed = (test: RegExp, what: string) =>
  z.string().refine((item) => test.test(item.trim()), {
    error: (issue) => `must be ${what}, got ${JSON.stringify(issue.input)}`,
  });

export const provenanceSchema = z
  .strictObject({
    trusted: z
      .array(trimmed(PATTERN, '"org" or "org/name" (* allowed)'), { error: "must be an array of non-empty strings" })
      .optional()
      .describe(
        "Trusted sources: org (every repository of it) or org/name, * within a segment. When set, a repository the model names as its own or its base that matches none is a warning.",
      ),
    protect: z
      .array(trimmed(/^[\w.-]{2,96}$/, "a namespace (letters, digits, - _ .)"), {
        error: "must be an array of non-empty strings",
      })
      .optional()
      .describe("Namespaces to protect from look-alikes besides the built-in popular ones (your own org)."),
  })
  .optional()
  .describe("Trusted sources and protected namespaces (the provenance detector).");

/** The checked `provenance` (undefined: defaults), with each trusted pattern compiled. */
export function readProvenanceOptions(value: z.output<typeof provenanceSchema>): ProvenanceOptions {
  if (value === undefined) return DEFAULT_PROVENANCE_OPTIONS;
  const trusted = (value.trusted ?? []).map((entry) => {
    const pattern = entry.trim();
    const [org, name] = pattern.split("/") as [string, string | undefined];
    return { pattern, org: segmentPattern(org), name: name === undefined ? null : segmentPattern(name) };
  });
  return { trusted, protect: (value.protect ?? []).map((name) => name.trim()) };
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
