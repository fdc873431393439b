import { globMatcher, optionProblems, z } from "@modelaudit/core/detector";
import { type LicenseOptions, licensesSchema, readLicenseOptions } from "./licenses/options.js";
import { type ProvenanceOptions, provenanceSchema, readProvenanceOptions } from "./provenance/options.js";
import { readSignatureOptions, type SignatureOptions, signaturesSchema } from "./signatures/options.js";

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

const DIGEST = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const DEFAULT_REASON = "listed in options.denySha256";

const digest = z.string().refine((value) => DIGEST.test(value.trim()), {
  error: (issue) => `must be a 64-hex SHA-256 digest, got ${JSON.stringify(issue.input)}`,
});

/**
 * `options["supply-chain"]`, checked at start-up: a malformed value is a usage error that names the
 * field, since a typo in a pin or deny list must not silently turn the check off.
 */
export const optionsSchema = z.strictObject({
  denySha256: z
    .array(
      z.union(
        [
          digest,
          z.strictObject({
            sha256: digest,
            reason: z
              .string()
              .refine((reason) => reason.trim() !== "", { error: "must be a non-empty string" })
              .optional(),
          }),
        ],
        { error: (issue) => `must be a SHA-256 digest or { sha256, reason }, got ${JSON.stringify(issue.input)}` },
      ),
      { error: "must be an array of SHA-256 digests or { sha256, reason }" },
    )
    .optional()
    .describe("Digests (64 hex, optionally sha256:) of files or archive members that are critical wherever found."),
  expectedSha256: z
    .record(
      z.string().refine((pattern) => pattern.trim() !== "", { error: "an empty path pattern matches nothing" }),
      z.union([digest, z.array(digest).min(1, { error: "must list at least one SHA-256 digest" })]),
      {
        // Only for a value that is not an object: a bad key or digest keeps its own message.
        error: (issue) =>
          issue.code === "invalid_type" ? "must be an object mapping path patterns to SHA-256 digests" : undefined,
      },
    )
    .optional()
    .describe(
      "Path pattern (picomatch, as ignore) to the digest, or list of digests, a matching file must have; matched against the path relative to the working directory, the base name and the absolute path.",
    ),
  hashdb: z
    .string()
    .refine((value) => value.trim() !== "", { error: "must be the path of a known-hash database file" })
    .optional()
    .describe("Path of the known-hash database (SQLite) to look every file and member up in."),
  // Set by the CLI beside hashdb: the database file's size and time, so a result cache keyed on the
  // options is not reused after an import. The detector does not read it.
  hashdbStamp: z
    .string({ error: "is set by the modelaudit CLI, not by hand" })
    .optional()
    .describe("Not for users: set by the modelaudit CLI beside hashdb."),
  provenance: provenanceSchema,
  licenses: licensesSchema,
  signatures: signaturesSchema,
});

/** Reads the options, checked against `optionsSchema` first: a malformed value throws naming the field. */
export function readOptions(options: Readonly<Record<string, unknown>>): SupplyChainOptions {
  const [problem] = optionProblems(optionsSchema, options);
  if (problem !== undefined) throw new OptionError(`${PREFIX}${problem}`);
  const checked = optionsSchema.parse(options);
  const read: SupplyChainOptions = {
    denySha256: (checked.denySha256 ?? []).map((entry) =>
      typeof entry === "string"
        ? { sha256: normalizeDigest(entry) as string, reason: DEFAULT_REASON }
        : { sha256: normalizeDigest(entry.sha256) as string, reason: entry.reason?.trim() ?? DEFAULT_REASON },
    ),
    expectedSha256: Object.entries(checked.expectedSha256 ?? {}).map(([pattern, expected]) => ({
      pattern,
      matches: globMatcher(pattern),
      digests: (Array.isArray(expected) ? expected : [expected]).map((item) => normalizeDigest(item) as string),
    })),
    provenance: readProvenanceOptions(checked.provenance),
    licenses: readLicenseOptions(checked.licenses),
    signatures: readSignatureOptions(checked.signatures),
  };
  if (checked.hashdb !== undefined) read.hashdb = checked.hashdb;
  return read;
}

/** Checks the options at start-up: each malformed value, with its key path, as a problem. */
export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  return optionProblems(optionsSchema, options);
}

/** A 64-hex SHA-256, optionally prefixed `sha256:`, as lower-case hex; null when it is not one. */
export function normalizeDigest(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = DIGEST.exec(value.trim());
  return match ? (match[1] as string).toLowerCase() : null;
}
