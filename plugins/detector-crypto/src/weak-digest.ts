// Moved from detector-supply-chain (its weak-checksum rule): the same recognition, now under crypto/weak-checksum.
/** A broken hash algorithm recognised in an integrity field. */
export interface WeakDigest {
  algorithm: "MD5" | "SHA-1";
  value: string;
}

/** Keys of integrity fields: `checksum`, `sha1`, `weights.md5`, `files[0].digest`, `integrity`... */
const INTEGRITY_KEY = /checksum|hash|digest|sha|md5|integrity/i;
const MD5_KEY = /md5/i;
const SHA1_KEY = /sha[-_]?1(?!\d)/i;
/** A git revision (`_commit_hash`, `git_sha1`, `revision`) names a commit; it does not check a file's bytes. */
const REVISION_KEY = /commit|revision|(?:^|[^a-z])rev(?:$|[^a-z])|git/i;
const HEX_32 = /^[0-9a-f]{32}$/i;
const HEX_40 = /^[0-9a-f]{40}$/i;
/** `md5:<hex>`, `sha1:<hex>`, `sha-1=<hex>`: the algorithm written into the value. */
const PREFIXED = /^(md5|sha-?1)[:=]([0-9a-f]+)$/i;
/** Subresource-integrity style (`sha1-<base64>`), as package manifests write it. */
const SRI = /^(md5|sha1)-([A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{27}=)$/;

/**
 * Recognises an integrity value computed with MD5 or SHA-1. Strict on purpose: the key must name an
 * integrity field and the value must be exactly a digest of the named algorithm's length, so prose,
 * git revisions and SHA-256 digests never match.
 */
export function weakDigest(key: string | undefined, text: string): WeakDigest | null {
  if (key === undefined || !INTEGRITY_KEY.test(key) || REVISION_KEY.test(key)) return null;
  const value = text.trim();
  const prefixed = PREFIXED.exec(value);
  if (prefixed) {
    const algorithm = (prefixed[1] as string).toLowerCase() === "md5" ? "MD5" : "SHA-1";
    const length = (prefixed[2] as string).length;
    return (algorithm === "MD5" ? length === 32 : length === 40) ? { algorithm, value } : null;
  }
  const sri = SRI.exec(value);
  if (sri) {
    const algorithm = sri[1] === "md5" ? "MD5" : "SHA-1";
    // 16 bytes of MD5 are 22 base64 characters + "=="; 20 bytes of SHA-1 are 27 + "=".
    return (algorithm === "MD5") === (sri[2] as string).endsWith("==") ? { algorithm, value } : null;
  }
  if (HEX_32.test(value) && MD5_KEY.test(key)) return { algorithm: "MD5", value };
  if (HEX_40.test(value) && SHA1_KEY.test(key)) return { algorithm: "SHA-1", value };
  return null;
}

/** Words that make an integrity key name training or evaluation data rather than the model. */
const DATA_WORDS = new Set([
  "data",
  "dataset",
  "datasets",
  "corpus",
  "train",
  "training",
  "eval",
  "evaluation",
  "validation",
  "val",
  "test",
  "parquet",
  "jsonl",
  "csv",
  "tsv",
  "arrow",
  "tfrecord",
]);

/**
 * True when the integrity key records training data's digest (`dataset_md5`, `checksums["train.parquet"]`):
 * provenance of what the model was trained on, which no loader checks the model against.
 */
export function namesTrainingData(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => DATA_WORDS.has(word));
}
