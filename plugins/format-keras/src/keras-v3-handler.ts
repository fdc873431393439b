import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
import { decodePythonJson, detectJsonEncoding } from "./python-json.js";

function hasKey(text: string, key: string): boolean {
  return new RegExp(`"${key}"\\s*:`).test(text);
}

/**
 * The head as text when it starts a JSON object in any encoding Python's json.loads accepts
 * (Keras 3 hands config.json's bytes to it): UTF-8, or UTF-16/32 told by a BOM or zero bytes.
 */
function jsonObjectText(input: SniffInput): string | null {
  if (input.size === 0) return null;
  const { encoding } = detectJsonEncoding(input.head);
  // Most files are not JSON: the common UTF-8 case is refused on one byte, before decoding.
  if (encoding === "utf-8" && firstSignificantByte(input.head) !== 0x7b) return null;
  if (encoding !== "utf-8" && !/^\s*\{/.test(decodePythonJson(input.head.subarray(0, 64), false))) return null;
  const text = decodePythonJson(input.head, false);
  return /^\s*\{/.test(text) ? text : null;
}

/** The first byte after an optional UTF-8 byte-order mark and whitespace; decoding waits until it is `{`. */
function firstSignificantByte(head: Uint8Array): number | undefined {
  let index = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (index < head.length) {
    const byte = head[index] as number;
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) break;
    index++;
  }
  return head[index];
}

export type KerasJsonKind = "config" | "metadata";

/**
 * A Keras model config (Keras 3 config.json, or a Keras 2 `to_json()` architecture) or a .keras
 * metadata.json. Content decides: a config has `class_name` and `config` plus a Keras marker; inside
 * a zip, `config.json` with `class_name` is enough.
 */
export function classifyKerasJson(input: SniffInput): KerasJsonKind | null {
  const text = jsonObjectText(input);
  if (text === null) return null;
  const inZip = input.parentFormats.includes(FORMATS.zip);
  const name = input.name.toLowerCase();
  if (hasKey(text, "class_name") && hasKey(text, "config")) {
    const kerasMarker = ["module", "registered_name", "build_config", "keras_version", "compile_config"].some((key) =>
      hasKey(text, key),
    );
    if (kerasMarker || (inZip && name === "config.json")) return "config";
  }
  if (inZip && name === "metadata.json" && hasKey(text, "keras_version")) return "metadata";
  // A layer config handed over from a TensorFlow SavedModel's keras_metadata.pb.
  if (input.parentFormats.includes(FORMATS.tensorflowKerasMetadata) && hasKey(text, "class_name")) return "config";
  return null;
}

/** Keras 3 `.keras` members (config.json, metadata.json) and Keras JSON model configs. */
export const kerasV3Handler: FormatHandler = {
  id: FORMATS.kerasV3,
  description: "Keras model configs (Keras 3 .keras config.json and metadata.json, Keras 2 to_json architectures)",
  sniff: (input) => classifyKerasJson(input) !== null,
  async parse(context) {
    const { parseKerasV3 } = await import("./keras-v3-parse.js");
    return parseKerasV3(context);
  },
};
