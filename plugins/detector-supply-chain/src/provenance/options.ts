import { OptionError } from "../options.js";

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

const KEYS = new Set(["trusted", "protect"]);
const PATTERN = /^[\w.*-]+(?:\/[\w.*-]+)?$/;

export const DEFAULT_PROVENANCE_OPTIONS: ProvenanceOptions = { trusted: [], protect: [] };

/** Reads `provenance` (undefined: defaults); a malformed value throws an OptionError naming the field. */
export function readProvenanceOptions(value: unknown, where: string): ProvenanceOptions {
  if (value === undefined) return DEFAULT_PROVENANCE_OPTIONS;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OptionError(`${where} must be an object { trusted, protect }`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) throw new OptionError(`${where}.${key}: unknown option (known: trusted, protect)`);
  }
  const trusted = stringList(record.trusted, `${where}.trusted`).map((pattern, index) => {
    if (!PATTERN.test(pattern)) {
      throw new OptionError(
        `${where}.trusted[${index}] must be "org" or "org/name" (* allowed), got ${JSON.stringify(pattern)}`,
      );
    }
    const [org, name] = pattern.split("/") as [string, string | undefined];
    return { pattern, org: segmentPattern(org), name: name === undefined ? null : segmentPattern(name) };
  });
  const protect = stringList(record.protect, `${where}.protect`).map((name, index) => {
    if (!/^[\w.-]{2,96}$/.test(name)) {
      throw new OptionError(
        `${where}.protect[${index}] must be a namespace (letters, digits, - _ .), got ${JSON.stringify(name)}`,
      );
    }
    return name;
  });
  return { trusted, protect };
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item.trim() !== "")) {
    throw new OptionError(`${where} must be an array of non-empty strings`);
  }
  return value.map((item: string) => item.trim());
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
