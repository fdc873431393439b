import type { FormatHandler } from "@modelaudit/core";
import type { StreamCodec } from "./stream-codecs.js";

/** The child's name: the stream's name without its last extension (`model.pkl.gz` → `model.pkl`). */
export function decompressedName(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : "";
  return stem || "decompressed";
}

/** A handler for one whole-file compression codec: decode with bounds, then scan what came out. */
export function createStreamHandler(codec: StreamCodec): FormatHandler {
  return {
    id: codec.id,
    description: `${codec.label} compressed stream (decoded with bounds; the content is scanned as a nested source)`,
    magic: codec.magic,
    sniff: (input) => codec.sniff(input.head, input.embedded === true),
    // The bounded decoding and spilling is imported on the first compressed stream.
    parse: async (context) => (await import("./stream-parse.js")).parseStream(context, codec),
  };
}
