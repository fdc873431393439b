import { FORMATS, type FormatHandler, type ParseContext, type SniffInput } from "@modelaudit/core";
import { blocked, emitKerasConfig } from "./keras-config.js";
import { decodePythonJson, detectJsonEncoding, replaceNonFiniteLiterals } from "./python-json.js";

/** config.json and metadata.json of a .keras archive are small; beyond this they are not real. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

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

async function readText(context: ParseContext, what: string): Promise<Uint8Array | null> {
  const { source } = context;
  const limit = Math.min(MAX_CONFIG_BYTES, context.limits.maxInMemoryBytes);
  if (source.size > limit) {
    blocked(context, "limit-exceeded", `${what} is ${source.size} bytes, over the ${limit}-byte bound; not analysed`);
    return null;
  }
  const bytes = await source.read(0, source.size);
  if (bytes.length !== source.size) {
    blocked(context, "truncated", `${what}: read ${bytes.length} of ${source.size} bytes`);
    return null;
  }
  return bytes;
}

function emitMetadata(context: ParseContext, bytes: Uint8Array): void {
  let document: unknown;
  try {
    document = JSON.parse(replaceNonFiniteLiterals(decodePythonJson(bytes, true)));
  } catch (error) {
    blocked(
      context,
      "malformed",
      `Keras metadata.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    blocked(context, "malformed", "Keras metadata.json is not a JSON object");
    return;
  }
  for (const [key, value] of Object.entries(document)) {
    if (typeof value === "string") {
      context.emit({ kind: "text", text: value.slice(0, 64 * 1024), key, role: "metadata", location: { path: key } });
    }
  }
}

/** Keras 3 `.keras` members (config.json, metadata.json) and Keras JSON model configs. */
export const kerasV3Handler: FormatHandler = {
  id: FORMATS.kerasV3,
  description: "Keras model configs (Keras 3 .keras config.json and metadata.json, Keras 2 to_json architectures)",
  sniff: (input) => classifyKerasJson(input) !== null,
  async parse(context) {
    const head = await context.source.read(0, 64 * 1024);
    const name = (context.memberChain.at(-1) ?? context.file).split("/").pop() ?? "";
    // The sniff already decided this is Keras JSON; only metadata.json needs telling apart.
    const kind =
      classifyKerasJson({
        head,
        tail: head,
        size: context.source.size,
        name,
        extension: "",
        parentFormats: context.memberChain.length > 0 ? [FORMATS.zip] : [],
      }) ?? "config";
    const bytes = await readText(context, kind === "metadata" ? "Keras metadata.json" : "Keras config");
    if (!bytes) return;
    if (kind === "metadata") {
      emitMetadata(context, bytes);
      return;
    }
    context.addFormat(FORMATS.keras);
    await emitKerasConfig(context, bytes, "$", true);
  },
};
