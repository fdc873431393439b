import { flag, z } from "@modelaudit/core/detector";
import type { SignerIdentity } from "./sigstore-bundle.js";

/** A file's signature as the CLI verified it before the scan (keyed by absolute path in `results.files`). */
export interface FileSignature {
  kind: "model-signing" | "slsa-provenance" | "openpgp";
  /** The signature file. */
  signature: string;
  /** Who signed, when it verified. */
  signer?: string;
  /** The SHA-256 the signature vouches for; the scan compares it with the bytes it read. */
  sha256?: string;
  /** Why it does not verify. */
  invalid?: string;
}

/** What the CLI's signature stage found: per file, per folder a bundle could not vouch for, and the signature files. */
export interface SignatureResults {
  files: Record<string, FileSignature>;
  /** Folder → the model-signing bundle in it that does not verify (every file below is judged invalid). */
  folders: Record<string, { signature: string; invalid: string }>;
  signatureFiles: string[];
}

export interface SignatureOptions {
  /** A file no valid signature covers is a warning. */
  required: boolean;
  /** Path of a Sigstore trusted_root.json; the public-good root shipped with sigstore when absent. */
  trustedRoot?: string;
  /** PEM public keys (paths) for key-signed model-signing bundles. */
  publicKeys: string[];
  /** Armored OpenPGP public keys (paths) for detached `.sig`/`.asc` signatures. */
  openpgpKeys: string[];
  /** Accepted certificate signers. */
  identities: SignerIdentity[];
  /** Set by the CLI's signature stage (verified before the scan); absent when nothing verified them. */
  results?: SignatureResults;
}

const nonEmpty = z.string().min(1);
const keyPaths = (description: string) =>
  z.array(nonEmpty, { error: "must be an array of key file paths" }).optional().describe(description);
const setByCli = "is set by the modelaudit CLI's signature stage, not by hand";

/** `options["supply-chain"].signatures`: checked field by field; a typo must not switch verification off. */
export const signaturesSchema = z
  .strictObject({
    required: flag().optional().describe("A file no valid signature covers is a warning (default false)."),
    trustedRoot: z
      .string()
      .min(1, { error: "must be the path of a trusted_root.json" })
      .optional()
      .describe("Path of a Sigstore trusted_root.json; the public-good root shipped with sigstore when absent."),
    publicKeys: keyPaths("PEM public keys (paths) for key-signed model-signing bundles."),
    openpgpKeys: keyPaths("Armored OpenPGP public keys (paths) for detached .sig/.asc signatures."),
    identities: z
      .array(z.strictObject({ identity: nonEmpty, issuer: nonEmpty }), {
        error: "must be an array of { identity, issuer }",
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
        { error: setByCli },
      )
      .optional()
      .describe(`Not for users: ${setByCli.replace(/^is /, "")}.`),
  })
  .optional()
  .describe("Signature verification (model-signing bundles, detached OpenPGP signatures).");

/** The checked `signatures` (undefined: verification optional, no keys). */
export function readSignatureOptions(value: z.output<typeof signaturesSchema>): SignatureOptions {
  const options: SignatureOptions = {
    required: value?.required ?? false,
    publicKeys: value?.publicKeys ?? [],
    openpgpKeys: value?.openpgpKeys ?? [],
    identities: value?.identities ?? [],
  };
  if (value?.trustedRoot !== undefined) options.trustedRoot = value.trustedRoot;
  if (value?.results !== undefined) options.results = value.results as unknown as SignatureResults;
  return options;
}
