import { OptionError } from "../options.js";
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

const KEYS = ["required", "trustedRoot", "publicKeys", "openpgpKeys", "identities", "results"];

/** `options["supply-chain"].signatures`: checked field by field; a typo must not switch verification off. */
export function readSignatureOptions(value: unknown, where: string): SignatureOptions {
  const options: SignatureOptions = { required: false, publicKeys: [], openpgpKeys: [], identities: [] };
  if (value === undefined) return options;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new OptionError(`${where} must be an object`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.includes(key)) throw new OptionError(`${where}.${key}: unknown option (known: ${KEYS.join(", ")})`);
  }
  if (record.required !== undefined) {
    if (typeof record.required !== "boolean") throw new OptionError(`${where}.required must be true or false`);
    options.required = record.required;
  }
  if (record.trustedRoot !== undefined) {
    if (typeof record.trustedRoot !== "string" || record.trustedRoot === "") {
      throw new OptionError(`${where}.trustedRoot must be the path of a trusted_root.json`);
    }
    options.trustedRoot = record.trustedRoot;
  }
  for (const key of ["publicKeys", "openpgpKeys"] as const) {
    const list = record[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((item) => typeof item !== "string" || item === "")) {
      throw new OptionError(`${where}.${key} must be an array of key file paths`);
    }
    options[key] = list as string[];
  }
  if (record.identities !== undefined) {
    if (!Array.isArray(record.identities))
      throw new OptionError(`${where}.identities must be an array of { identity, issuer }`);
    options.identities = record.identities.map((item: unknown, index) => {
      const entry = item as Record<string, unknown> | null;
      if (typeof entry?.identity !== "string" || typeof entry.issuer !== "string" || !entry.identity || !entry.issuer) {
        throw new OptionError(`${where}.identities[${index}] must be { identity, issuer } (two non-empty strings)`);
      }
      return { identity: entry.identity, issuer: entry.issuer };
    });
  }
  if (record.results !== undefined) {
    const results = record.results as SignatureResults | null;
    if (
      typeof results?.files !== "object" ||
      typeof results.folders !== "object" ||
      !Array.isArray(results.signatureFiles)
    ) {
      throw new OptionError(`${where}.results is set by the modelaudit CLI's signature stage, not by hand`);
    }
    options.results = results;
  }
  return options;
}
