import { createHash } from "node:crypto";

export const OMS_PREDICATE_TYPE = "https://model_signing/signature/v1.0";
const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** What an OpenSSF model-signing statement vouches for: each file's SHA-256 by its path in the model folder. */
export interface SignedResources {
  /** Model-relative path (`/` separators) → lower-case hex SHA-256. */
  files: Map<string, string>;
  /** Paths the signer left out on purpose (`.git` and the statement's ignore_paths). */
  ignorePaths: string[];
}

/**
 * Reads the statement inside a verified DSSE envelope and recomputes its subject: the model's digest
 * is the SHA-256 of the resources' raw digests concatenated in name order (OMS v1.0, `files`
 * serialization). A subject that does not match its own resources was not made by a signing tool.
 */
export function readSignedStatement(envelope: { payload?: unknown; payloadType?: unknown }): SignedResources {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE || typeof envelope.payload !== "string") {
    throw new Error(
      `the DSSE envelope does not hold an in-toto statement (payloadType ${String(envelope.payloadType)})`,
    );
  }
  const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as Record<string, unknown>;
  if (statement.predicateType !== OMS_PREDICATE_TYPE) {
    throw new Error(
      `the statement is not an OpenSSF model-signing statement (predicateType ${String(statement.predicateType)})`,
    );
  }
  const predicate = (statement.predicate ?? {}) as Record<string, unknown>;
  const serialization = (predicate.serialization ?? {}) as Record<string, unknown>;
  if (serialization.method !== "files" || (serialization.hash_type ?? "sha256") !== "sha256") {
    throw new Error(
      `serialization ${String(serialization.method)}/${String(serialization.hash_type)} is not supported (only files/sha256)`,
    );
  }
  const files = new Map<string, string>();
  for (const resource of Array.isArray(predicate.resources) ? predicate.resources : []) {
    const { name, digest, algorithm } = resource as Record<string, unknown>;
    if (typeof name !== "string" || typeof digest !== "string" || !/^[0-9a-fA-F]{64}$/.test(digest)) {
      throw new Error("a resource of the statement has no name or no SHA-256 digest");
    }
    if (algorithm !== undefined && algorithm !== "sha256")
      throw new Error(`resource ${name}: algorithm ${String(algorithm)}`);
    files.set(name, digest.toLowerCase());
  }
  const names = [...files.keys()].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const root = createHash("sha256");
  for (const name of names) root.update(Buffer.from(files.get(name) as string, "hex"));
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const claimed = (subjects[0] as { digest?: { sha256?: unknown } } | undefined)?.digest?.sha256;
  if (typeof claimed !== "string" || claimed.toLowerCase() !== root.digest("hex")) {
    throw new Error("the statement's subject digest is not the digest of its resources");
  }
  const ignored = Array.isArray(serialization.ignore_paths)
    ? serialization.ignore_paths.filter((item): item is string => typeof item === "string")
    : [];
  return { files, ignorePaths: [...new Set([".git", ".gitignore", ".gitattributes", ".github", ...ignored])] };
}
