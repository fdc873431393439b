/**
 * Format labels (handler ids) of containers and compressed streams. A `limit-exceeded` anomaly from
 * a source carrying one of these means decompression was stopped; from anything else (a pickle's
 * memo, a JSON nesting bound) it is not a bomb. Reviewed against plugins/format-archive.
 */
export const ARCHIVE_FORMATS: ReadonlySet<string> = new Set([
  "zip",
  "tar",
  "7z",
  "gzip",
  "zlib",
  "bzip2",
  "xz",
  "lzma",
  "zstd",
  "lz4",
]);
