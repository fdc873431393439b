import { globMatcher } from "@modelaudit/core/detector";
import { type LicenseOptions, readLicenseOptions } from "./licenses/options.js";
import { type ProvenanceOptions, readProvenanceOptions } from "./provenance/options.js";
import { readSignatureOptions, type SignatureOptions } from "./signatures/options.js";

/** A malformed option; `validateOptions` turns it into the problem the engine reports at start-up. */
export class OptionError extends Error {
  override name = "OptionError";
}

const PREFIX = "supply-chain options.";

/** One digest the user forbids, with why (shown in the finding). */
export interface DeniedDigest {
  sha256: string;
  reason: string;
}

/** A path pattern and the digests a file matching it may have. */
export interface HashPin {
  pattern: string;
  /** True for a path (relative, base name or absolute, with `/`) the pattern matches. */
  matches: (path: string) => boolean;
  /** Lower-case hex; the file must have one of them. */
  digests: string[];
}

/** Options of the supply-chain detector, from `options["supply-chain"]` in the config. */
export interface SupplyChainOptions {
  denySha256: DeniedDigest[];
  expectedSha256: HashPin[];
  /** Path of the known-hash database (SQLite) to look every file and member up in. */
  hashdb?: string;
  /** Trusted sources and protected namespaces (the provenance detector). */
  provenance: ProvenanceOptions;
  /** The license policy (the license detector). */
  licenses: LicenseOptions;
  /** Signature verification (model-signing bundles, detached OpenPGP signatures). */
  signatures: SignatureOptions;
}

const KNOWN_KEYS = new Set([
  "denySha256",
  "expectedSha256",
  "hashdb",
  // Set by the CLI beside hashdb: the database file's size and time, so a result cache keyed on the
  // options is not reused after an import. The detector does not read it.
  "hashdbStamp",
  "provenance",
  "licenses",
  "signatures",
]);
const DIGEST = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const DEFAULT_REASON = "listed in options.denySha256";

/**
 * Reads and checks the options. A malformed value is a usage error that names the field: a typo in a
 * pin or deny list must not silently turn the check off.
 */
export function readOptions(options: Readonly<Record<string, unknown>>): SupplyChainOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new OptionError(`${PREFIX}${key}: unknown option (known: ${[...KNOWN_KEYS].join(", ")})`);
    }
  }
  const read: SupplyChainOptions = {
    denySha256: readDenyList(options.denySha256),
    expectedSha256: readPins(options.expectedSha256),
    provenance: readProvenanceOptions(options.provenance, `${PREFIX}provenance`),
    licenses: readLicenseOptions(options.licenses, `${PREFIX}licenses`),
    signatures: readSignatureOptions(options.signatures, `${PREFIX}signatures`),
  };
  if (options.hashdb !== undefined) {
    if (typeof options.hashdb !== "string" || options.hashdb.trim() === "") {
      throw new OptionError(`${PREFIX}hashdb must be the path of a known-hash database file`);
    }
    read.hashdb = options.hashdb;
  }
  if (options.hashdbStamp !== undefined && typeof options.hashdbStamp !== "string") {
    throw new OptionError(`${PREFIX}hashdbStamp is set by the modelaudit CLI, not by hand`);
  }
  return read;
}

/** Checks the options at start-up: the first malformed value, with its key path, as a problem. */
export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  try {
    readOptions(options);
    return [];
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    return [error.message.startsWith(PREFIX) ? error.message.slice(PREFIX.length) : error.message];
  }
}

/** A 64-hex SHA-256, optionally prefixed `sha256:`, as lower-case hex; null when it is not one. */
export function normalizeDigest(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = DIGEST.exec(value.trim());
  return match ? (match[1] as string).toLowerCase() : null;
}

function readDenyList(value: unknown): DeniedDigest[] {
  if (value === undefined) return [];
  const field = `${PREFIX}denySha256`;
  if (!Array.isArray(value))
    throw new OptionError(`${field} must be an array of SHA-256 digests or { sha256, reason }`);
  return value.map((entry: unknown, index) => {
    const where = `${field}[${index}]`;
    if (typeof entry === "string") {
      const sha256 = normalizeDigest(entry);
      if (!sha256) throw new OptionError(`${where} must be a 64-hex SHA-256 digest, got ${JSON.stringify(entry)}`);
      return { sha256, reason: DEFAULT_REASON };
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new OptionError(`${where} must be a SHA-256 digest or { sha256, reason }, got ${JSON.stringify(entry)}`);
    }
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== "sha256" && key !== "reason") throw new OptionError(`${where}: unknown field "${key}"`);
    }
    const sha256 = normalizeDigest(record.sha256);
    if (!sha256) {
      throw new OptionError(`${where}.sha256 must be a 64-hex SHA-256 digest, got ${JSON.stringify(record.sha256)}`);
    }
    if (record.reason !== undefined && (typeof record.reason !== "string" || record.reason.trim() === "")) {
      throw new OptionError(`${where}.reason must be a non-empty string`);
    }
    return { sha256, reason: (record.reason as string | undefined)?.trim() ?? DEFAULT_REASON };
  });
}

function readPins(value: unknown): HashPin[] {
  if (value === undefined) return [];
  const field = `${PREFIX}expectedSha256`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OptionError(`${field} must be an object mapping path patterns to SHA-256 digests`);
  }
  return Object.entries(value as Record<string, unknown>).map(([pattern, expected]) => {
    const where = `${field}[${JSON.stringify(pattern)}]`;
    if (pattern.trim() === "") throw new OptionError(`${field}: an empty path pattern matches nothing`);
    const listed = Array.isArray(expected) ? expected : [expected];
    if (listed.length === 0) throw new OptionError(`${where} must list at least one SHA-256 digest`);
    const digests = listed.map((item: unknown, index) => {
      const digest = normalizeDigest(item);
      if (!digest) {
        const at = Array.isArray(expected) ? `${where}[${index}]` : where;
        throw new OptionError(`${at} must be a 64-hex SHA-256 digest, got ${JSON.stringify(item)}`);
      }
      return digest;
    });
    return { pattern, matches: globMatcher(pattern), digests };
  });
}
