import { isUtf8 } from "node:buffer";
import { FORMATS, type SniffInput } from "@modelaudit/core";
import { firstSignificantChar } from "@modelaudit/core/format";

/**
 * Content checks shared by the handlers. Every Hugging Face file is text: binary data (a pickle or
 * an ELF renamed `config.json` or `modeling.py`) is never claimed, so other handlers see it as what it is.
 */

const lenient = new TextDecoder("utf-8");

/**
 * Verdicts per sniff head: the engine hands every handler the same head, and six handlers of this
 * plugin ask about it (a folder of small files pays each check once per file, not six times).
 */
const textHeads = new WeakMap<Uint8Array, boolean>();
const jsonKinds = new WeakMap<SniffInput, JsonFileKind | null>();

/** True when the head is valid UTF-8 (a character cut at the end is allowed) without NUL or odd controls. */
export function looksLikeText(head: Uint8Array): boolean {
  let verdict = textHeads.get(head);
  if (verdict === undefined) {
    verdict = checkText(head);
    textHeads.set(head, verdict);
  }
  return verdict;
}

function checkText(head: Uint8Array): boolean {
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) controls++;
  }
  if (controls > head.length / 100 + 1) return false;
  // Whole UTF-8 (nearly every text head): no decoder to make. Otherwise the head may end inside a
  // character, which a streaming decoder allows.
  if (isUtf8(head)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function headText(head: Uint8Array): string {
  return lenient.decode(head);
}

/** Text whose first significant character is `{`. */
export function isJsonObjectHead(input: SniffInput): boolean {
  if (input.size === 0 || !looksLikeText(input.head)) return false;
  return firstSignificantChar(lenient.decode(input.head.subarray(0, 1024))) === "{";
}

/** The `"key":` test of each key asked about: the keys are this plugin's constants, asked about for every JSON head. */
const keyTests = new Map<string, RegExp>();

/** True when `"key":` occurs in the text (a cheap top-level-ish key test on the sniff head). */
export function hasKey(text: string, key: string): boolean {
  let test = keyTests.get(key);
  if (test === undefined) {
    test = new RegExp(`"${key}"\\s*:`);
    keyTests.set(key, test);
  }
  return test.test(text);
}

export type JsonFileKind = "config" | "tokenizer-config" | "tokenizer" | "generation-config";

const TOKENIZER_CONFIG_NAMES = new Set([
  "tokenizer_config.json",
  "chat_template.json",
  "special_tokens_map.json",
  "added_tokens.json",
]);
const CONFIG_NAMES = new Set([
  "config.json",
  "processor_config.json",
  "preprocessor_config.json",
  "feature_extractor_config.json",
  "image_processor_config.json",
  "adapter_config.json",
]);
const MODEL_CONFIG_KEYS = [
  "model_type",
  "architectures",
  "auto_map",
  "_name_or_path",
  "trust_remote_code",
  "custom_pipelines",
  "transformers_version",
];

/**
 * Decides which handler owns a JSON file, so exactly one of them claims it. Content decides; the
 * file name breaks ties and settles files whose keys fall outside the sniff head.
 */
export function classifyJson(input: SniffInput): JsonFileKind | null {
  let kind = jsonKinds.get(input);
  if (kind === undefined) {
    kind = classify(input);
    jsonKinds.set(input, kind);
  }
  return kind;
}

function classify(input: SniffInput): JsonFileKind | null {
  if (!isJsonObjectHead(input)) return null;
  const text = headText(input.head);
  const name = input.name.toLowerCase();
  if (
    TOKENIZER_CONFIG_NAMES.has(name) ||
    hasKey(text, "chat_template") ||
    hasKey(text, "added_tokens_decoder") ||
    hasKey(text, "tokenizer_class")
  ) {
    return "tokenizer-config";
  }
  if (
    name === "tokenizer.json" ||
    (hasKey(text, "model") &&
      hasKey(text, "added_tokens") &&
      (hasKey(text, "pre_tokenizer") || hasKey(text, "normalizer") || hasKey(text, "truncation")))
  ) {
    return "tokenizer";
  }
  if (name === "generation_config.json" || (hasKey(text, "_from_model_config") && !hasKey(text, "model_type"))) {
    return "generation-config";
  }
  // A Keras model config (Keras 3 `.keras` config.json) is format-keras' to read, not a second reading
  // here, unless transformers would read it too: both readings are then judged.
  if (isKerasModelConfig(text) && !readByTransformers(input, text, name)) return null;
  if (CONFIG_NAMES.has(name) || MODEL_CONFIG_KEYS.some((key) => hasKey(text, key))) return "config";
  return null;
}

/** Keys that make transformers load code: extra keys beside them (a Keras model's) change nothing for it. */
const CODE_LOADING_KEYS = ["auto_map", "custom_pipelines", "trust_remote_code"];

/**
 * True when transformers reads the file whatever else it holds: it asks for code, or it is a file
 * transformers opens by name (`config.json`) outside an archive (a `.keras` zip's config.json is Keras').
 */
function readByTransformers(input: SniffInput, text: string, name: string): boolean {
  if (CODE_LOADING_KEYS.some((key) => hasKey(text, key))) return true;
  return CONFIG_NAMES.has(name) && !input.parentFormats.includes(FORMATS.zip);
}

/** A serialized Keras model: `class_name` and `config` with a Keras-only marker, and no Hugging Face model keys. */
function isKerasModelConfig(text: string): boolean {
  if (!hasKey(text, "class_name") || !hasKey(text, "config")) return false;
  if (hasKey(text, "model_type") || hasKey(text, "architectures")) return false;
  return ["registered_name", "build_config", "compile_config", "keras_version"].some((key) => hasKey(text, key));
}
