import { fail, flagOf, section, stringList, textOf } from "../read-option.js";
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

export const SIGNATURE_KEYS = [
  "required",
  "trustedRoot",
  "publicKeys",
  "openpgpKeys",
  "identities",
  "results",
] as const;
export const SET_BY_CLI = "is set by the modelaudit CLI's signature stage, not by hand";
export const KEY_PATHS_MESSAGE = "must be an array of key file paths";
export const IDENTITIES_MESSAGE = "must be an array of { identity, issuer }";
export const TRUSTED_ROOT_MESSAGE = "must be the path of a trusted_root.json";

/** `signatures` (undefined: verification optional, no keys); checked at start-up, see read-option.ts. */
export function readSignatureOptions(raw: unknown): SignatureOptions {
  const value = section(raw, "signatures", SIGNATURE_KEYS) ?? {};
  const keyPaths = (key: "publicKeys" | "openpgpKeys") =>
    stringList(value[key], `signatures.${key}`, (item) => item !== "", "a key file path", KEY_PATHS_MESSAGE);
  const options: SignatureOptions = {
    required: flagOf(value.required, "signatures.required", false),
    publicKeys: keyPaths("publicKeys"),
    openpgpKeys: keyPaths("openpgpKeys"),
    identities: readIdentities(value.identities),
  };
  const notEmpty = (text: string) => text !== "";
  const trustedRoot = textOf(
    value.trustedRoot,
    "signatures.trustedRoot",
    TRUSTED_ROOT_MESSAGE.replace(/^must be /, ""),
    notEmpty,
  );
  if (trustedRoot !== undefined) options.trustedRoot = trustedRoot;
  if (value.results !== undefined) {
    const results = value.results as Partial<SignatureResults> | null;
    const isRecord = (item: unknown) => typeof item === "object" && item !== null && !Array.isArray(item);
    if (
      !isRecord(results) ||
      !isRecord(results?.files) ||
      !isRecord(results?.folders) ||
      !Array.isArray(results?.signatureFiles)
    ) {
      fail("signatures.results", SET_BY_CLI);
    }
    options.results = results as SignatureResults;
  }
  return options;
}

function readIdentities(value: unknown): SignerIdentity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail("signatures.identities", IDENTITIES_MESSAGE);
  return value.map((entry, index) => {
    const path = `signatures.identities[${index}]`;
    const object = section(entry, path, ["identity", "issuer"]);
    const notEmpty = (text: string) => text !== "";
    const identity = textOf(object?.identity, `${path}.identity`, "a non-empty string", notEmpty);
    const issuer = textOf(object?.issuer, `${path}.issuer`, "a non-empty string", notEmpty);
    return identity !== undefined && issuer !== undefined ? { identity, issuer } : fail(path, IDENTITIES_MESSAGE);
  });
}
