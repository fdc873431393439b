import type { FormatHandler } from "@modelaudit/core";
import type { StreamCodec } from "./stream-codecs.js";

/** Suffixes a whole-file compressor adds. */
const COMPRESSION_SUFFIXES = new Set([
  ".gz",
  ".gzip",
  ".bz2",
  ".xz",
  ".lzma",
  ".zst",
  ".zstd",
  ".lz4",
  ".z",
  ".zlib",
  ".zz",
]);
/** Suffixes that stand for a compressed tar. */
const TAR_SUFFIXES = new Set([".tgz", ".tbz", ".tbz2", ".txz", ".tzst"]);

/**
 * The child's name: the stream's name without a compression suffix (`model.pkl.gz` → `model.pkl`,
 * `model.tgz` → `model.tar`). A name without one keeps it: joblib compresses `model.joblib` whole,
 * and what comes out is still the model (an unreadable one is then not clean, by its name).
 */
export function decompressedName(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  // A bare suffix (".gz") names nothing.
  if (dot === 0) return "decompressed";
  if (dot < 0) return base || "decompressed";
  const suffix = base.slice(dot).toLowerCase();
  if (TAR_SUFFIXES.has(suffix)) return `${base.slice(0, dot)}.tar`;
  return COMPRESSION_SUFFIXES.has(suffix) ? base.slice(0, dot) : base;
}

/** A handler for one whole-file compression codec: decode with bounds, then scan what came out. */
export function createStreamHandler(codec: StreamCodec): FormatHandler {
  return {
    id: codec.id,
    description: `${codec.label} compressed stream (decoded with bounds; the content is scanned as a nested source)`,
    magic: codec.magic,
    sniff: (input) => codec.sniff(input.head, input.embedded === true, input.size),
    // The bounded decoding and spilling is imported on the first compressed stream.
    parse: async (context) => (await import("./stream-parse.js")).parseStream(context, codec),
  };
}
