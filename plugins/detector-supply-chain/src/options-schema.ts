import { z } from "@modelaudit/core/options";
import { licensesSchema } from "./licenses/options-schema.js";
import { DIGEST, MESSAGES } from "./options.js";
import { provenanceSchema } from "./provenance/options-schema.js";
import { signaturesSchema } from "./signatures/options-schema.js";

const digest = z.string().refine((value) => DIGEST.test(value.trim()), {
  error: (issue) => MESSAGES.digest(issue.input),
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
        { error: (issue) => MESSAGES.denyEntry(issue.input) },
      ),
      { error: MESSAGES.denyList },
    )
    .optional()
    .describe("Digests (64 hex, optionally sha256:) of files or archive members that are critical wherever found."),
  expectedSha256: z
    .record(
      z.string().refine((pattern) => pattern.trim() !== "", { error: MESSAGES.emptyPattern }),
      z.union([digest, z.array(digest).min(1, { error: MESSAGES.emptyPins })]),
      {
        // Only for a value that is not an object: a bad key or digest keeps its own message.
        error: (issue) => (issue.code === "invalid_type" ? MESSAGES.pins : undefined),
      },
    )
    .optional()
    .describe(
      "Path pattern (picomatch, as ignore) to the digest, or list of digests, a matching file must have; matched against the path relative to the working directory, the base name and the absolute path.",
    ),
  hashdb: z
    .string()
    .refine((value) => value.trim() !== "", { error: MESSAGES.hashdb })
    .optional()
    .describe("Path of the known-hash database (SQLite) to look every file and member up in."),
  // Set by the CLI beside hashdb: the database file's size and time, so a result cache keyed on the
  // options is not reused after an import. The detector does not read it.
  hashdbStamp: z
    .string({ error: MESSAGES.hashdbStamp })
    .optional()
    .describe("Not for users: set by the modelaudit CLI beside hashdb."),
  provenance: provenanceSchema,
  licenses: licensesSchema,
  signatures: signaturesSchema,
});
