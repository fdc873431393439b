import { globMatcher } from "@modelaudit/core/detector";
import { type LicenseOptions, readLicenseOptions } from "./licenses/options.js";
import { type ProvenanceOptions, readProvenanceOptions } from "./provenance/options.js";
import { fail, OptionError, section, textOf } from "./read-option.js";
import { readSignatureOptions, type SignatureOptions } from "./signatures/options.js";

export { OptionError };

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

export const DIGEST = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const DEFAULT_REASON = "listed in options.denySha256";

const KEYS = ["denySha256", "expectedSha256", "hashdb", "hashdbStamp", "provenance", "licenses", "signatures"];

/** Every problem message of the start-up check that the reader repeats, worded once. */
export const MESSAGES = {
  digest: (value: unknown) => `must be a 64-hex SHA-256 digest, got ${JSON.stringify(value)}`,
  denyList: "must be an array of SHA-256 digests or { sha256, reason }",
  denyEntry: (value: unknown) => `must be a SHA-256 digest or { sha256, reason }, got ${JSON.stringify(value)}`,
  pins: "must be an object mapping path patterns to SHA-256 digests",
  emptyPattern: "an empty path pattern matches nothing",
  emptyPins: "must list at least one SHA-256 digest",
  hashdb: "must be the path of a known-hash database file",
  hashdbStamp: "is set by the modelaudit CLI, not by hand",
};

/**
 * Reads `options["supply-chain"]` (checked against `optionsSchema` at start-up, see read-option.ts):
 * digests normalised, pins compiled. A malformed value throws an OptionError naming the field.
 */
export function readOptions(options: Readonly<Record<string, unknown>>): SupplyChainOptions {
  const checked = section(options, "", KEYS) ?? {};
  if (checked.hashdbStamp !== undefined && typeof checked.hashdbStamp !== "string") {
    fail("hashdbStamp", MESSAGES.hashdbStamp);
  }
  const read: SupplyChainOptions = {
    denySha256: readDenyList(checked.denySha256),
    expectedSha256: readPins(checked.expectedSha256),
    provenance: readProvenanceOptions(checked.provenance),
    licenses: readLicenseOptions(checked.licenses),
    signatures: readSignatureOptions(checked.signatures),
  };
  const hashdb = textOf(checked.hashdb, "hashdb", MESSAGES.hashdb.replace(/^must be /, ""));
  if (hashdb !== undefined) read.hashdb = hashdb;
  return read;
}

function readDenyList(value: unknown): DeniedDigest[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail("denySha256", MESSAGES.denyList);
  return value.map((entry, index) => {
    const path = `denySha256[${index}]`;
    if (typeof entry === "string") return { sha256: digestAt(entry, path), reason: DEFAULT_REASON };
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail(path, MESSAGES.denyEntry(entry));
    const object = section(entry, path, ["sha256", "reason"]) as Readonly<Record<string, unknown>>;
    if (object.sha256 === undefined) fail(path, MESSAGES.denyEntry(entry));
    const reason = textOf(object.reason, `${path}.reason`, "a non-empty string");
    return { sha256: digestAt(object.sha256, `${path}.sha256`), reason: reason?.trim() ?? DEFAULT_REASON };
  });
}

function readPins(value: unknown): HashPin[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("expectedSha256", MESSAGES.pins);
  return Object.entries(value).map(([pattern, expected]) => {
    const path = `expectedSha256[${JSON.stringify(pattern)}]`;
    if (pattern.trim() === "") fail(path, MESSAGES.emptyPattern);
    const listed = Array.isArray(expected) ? expected : [expected];
    if (listed.length === 0) fail(path, MESSAGES.emptyPins);
    const digests = listed.map((item, index) => digestAt(item, Array.isArray(expected) ? `${path}[${index}]` : path));
    return { pattern, matches: globMatcher(pattern), digests };
  });
}

function digestAt(value: unknown, path: string): string {
  return normalizeDigest(value) ?? fail(path, MESSAGES.digest(value));
}

/** A 64-hex SHA-256, optionally prefixed `sha256:`, as lower-case hex; null when it is not one. */
export function normalizeDigest(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = DIGEST.exec(value.trim());
  return match ? (match[1] as string).toLowerCase() : null;
}
