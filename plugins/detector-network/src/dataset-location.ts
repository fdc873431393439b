import type { FoundAddress } from "./address-extraction.js";
import { keyWords } from "./context-keys.js";

/**
 * Training metadata names where the data came from: `s3://bucket/train/*.parquet`, `gs://…/val-*.jsonl.gz`.
 * Such a value is a record of a source, not a destination the loader talks to, so it is a note. It stays a
 * warning when the key names a destination (`output`, `upload_to`, `dest`), and a callback key is judged
 * before this is asked.
 */

/** Words that make a key name training or evaluation data. */
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
  "valid",
  "val",
  "test",
  "shards",
  "glob",
]);

/** Words that make a key name somewhere things are written or sent. */
const DESTINATION_WORDS = new Set([
  "output",
  "outputs",
  "out",
  "dest",
  "destination",
  "upload",
  "sink",
  "export",
  "push",
  "target",
  "save",
  "write",
  "send",
  "post",
]);

/**
 * Columnar, record and archive formats datasets ship in (optionally compressed): dataset archives
 * are published as `.zip`, `.tgz` and `.tar.gz` downloads (COCO, Speech Commands, ImageNet).
 */
const DATA_FILE =
  /\.(?:parquet|jsonl|ndjson|json|csv|tsv|arrow|feather|avro|orc|tfrecords?|txt|tar|npy|npz|zarr|zip|tgz|7z)(?:\.(?:gz|bz2|xz|zst|snappy|lz4))?$/i;
/** Glob metacharacters dataset loaders expand (`*.parquet`, `shard-[0-9]*`, `part-?????`). */
const GLOB = /[*?[\]]/;

function namesData(key: string | undefined): boolean {
  if (!key) return false;
  const words = keyWords(key);
  return words.some((word) => DATA_WORDS.has(word)) && !words.some((word) => DESTINATION_WORDS.has(word));
}

function namesDestination(key: string | undefined): boolean {
  return key !== undefined && keyWords(key).some((word) => DESTINATION_WORDS.has(word));
}

function looksLikeData(path: string): boolean {
  const withoutQuery = path.replace(/[?#].*$/, "");
  return GLOB.test(path) || DATA_FILE.test(withoutQuery);
}

/**
 * True when a URL records where training data lives: an object-store URL (s3://, gs://) whose key names
 * data or whose path is a data glob or data file, or any URL where both hold.
 */
export function isDatasetLocation(address: FoundAddress, key: string | undefined): boolean {
  if (address.kind !== "url" || namesDestination(key)) return false;
  const objectStore = address.scheme === "s3" || address.scheme === "gs";
  const dataKey = namesData(key);
  const dataPath = looksLikeData(address.path);
  return objectStore ? dataKey || dataPath : dataKey && dataPath;
}
