import { FORMATS } from "@modelaudit/core";

/**
 * Format labels (handler ids) of containers and compressed streams. A `limit-exceeded` anomaly from
 * a source carrying one of these means decompression was stopped; from anything else (a pickle's
 * memo, a JSON nesting bound) it is not a bomb. Reviewed against plugins/format-archive.
 */
export const ARCHIVE_FORMATS: ReadonlySet<string> = new Set([
  FORMATS.zip,
  FORMATS.tar,
  FORMATS.sevenZip,
  FORMATS.gzip,
  FORMATS.zlib,
  FORMATS.bzip2,
  FORMATS.xz,
  FORMATS.lzma,
  FORMATS.zstd,
  FORMATS.lz4,
]);
