import { flag, z } from "@modelaudit/core/options";
import { IDENTITIES_MESSAGE, KEY_PATHS_MESSAGE, SET_BY_CLI, TRUSTED_ROOT_MESSAGE } from "./options.js";

const nonEmpty = z.string().min(1);
const keyPaths = (description: string) =>
  z.array(nonEmpty, { error: KEY_PATHS_MESSAGE }).optional().describe(description);

/** `options["supply-chain"].signatures`: checked field by field; a typo must not switch verification off. */
export const signaturesSchema = z
  .strictObject({
    required: flag().optional().describe("A file no valid signature covers is a warning (default false)."),
    trustedRoot: z
      .string()
      .min(1, { error: TRUSTED_ROOT_MESSAGE })
      .optional()
      .describe("Path of a Sigstore trusted_root.json; the public-good root shipped with sigstore when absent."),
    publicKeys: keyPaths("PEM public keys (paths) for key-signed model-signing bundles."),
    openpgpKeys: keyPaths("Armored OpenPGP public keys (paths) for detached .sig/.asc signatures."),
    identities: z
      .array(z.strictObject({ identity: nonEmpty, issuer: nonEmpty }), {
        error: IDENTITIES_MESSAGE,
      })
      .optional()
      .describe("Accepted certificate signers: { identity, issuer }."),
    results: z
      .looseObject(
        {
          files: z.record(z.string(), z.unknown()),
          folders: z.record(z.string(), z.unknown()),
          signatureFiles: z.array(z.string()),
        },
        { error: SET_BY_CLI },
      )
      .optional()
      .describe(`Not for users: ${SET_BY_CLI.replace(/^is /, "")}.`),
  })
  .optional()
  .describe("Signature verification (model-signing bundles, detached OpenPGP signatures).");
