/**
 * Layer arguments that Keras, keras_hub/keras_nlp and tensorflow_hub read from a file or URL while
 * they rebuild a layer from its config (at load time, before any weights are read). From their
 * sources:
 *
 * - `vocabulary` given as a string: keras IndexLookup (StringLookup, IntegerLookup,
 *   TextVectorization) reads it with `tf.io.gfile` (gs://, hdfs:// and local paths); keras_hub
 *   WordPiece/BytePair/PARSeq tokenizers and every model tokenizer built on them `open()` it.
 *   An inline vocabulary is a list or a dict, never a string.
 * - `merges` as a string: keras_hub BytePairTokenizer `open()`s it.
 * - `proto` as a string: keras_hub SentencePieceTokenizer takes it as inline base64 only when it
 *   is over 2048 characters of valid base64; otherwise it `open()`s it as a path.
 * - `filepath`: keras TFSMLayer runs `tf.saved_model.load(filepath)`, an unscanned SavedModel.
 * - `handle` of tensorflow_hub KerasLayer: `hub.load(handle)` downloads (tfhub.dev, Kaggle) or
 *   reads a SavedModel.
 *
 * Newer Keras versions refuse some of these in safe mode; Keras 2, tf_keras and `safe_mode=False`
 * do not, so each one is a path or URL the loader reaches.
 */

export interface LoadTimePath {
  /** The config key holding it (`vocabulary`). */
  argument: string;
  target: string;
  referenceKind: "path" | "url";
}

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** keras_hub's threshold: a proto string longer than this that is valid base64 is inline data. */
const INLINE_PROTO_LENGTH = 2048;
/** Longer strings are not paths any loader would open; they are still text facts. */
const MAX_PATH_LENGTH = 4096;

function isInlineProto(value: string): boolean {
  return value.length > INLINE_PROTO_LENGTH && value.length % 4 === 0 && BASE64.test(value);
}

/** The arguments of one layer config that name something read at load time. */
export function loadTimePaths(className: string, config: Record<string, unknown>): LoadTimePath[] {
  const found: LoadTimePath[] = [];
  const take = (argument: string, accept: (value: string) => boolean = () => true) => {
    const value = config[argument];
    if (typeof value !== "string" || value.length === 0 || value.length > MAX_PATH_LENGTH || !accept(value)) return;
    found.push({ argument, target: value, referenceKind: URL_SCHEME.test(value) ? "url" : "path" });
  };
  take("vocabulary");
  take("merges");
  take("proto", (value) => !isInlineProto(value));
  take("filepath");
  if (className === "KerasLayer") take("handle");
  return found;
}
