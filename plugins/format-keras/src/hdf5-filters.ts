import { inflateSync } from "node:zlib";
import type { Hdf5Filter } from "./hdf5-dataset-messages.js";
import { Hdf5FormatError } from "./hdf5-object-header.js";

/**
 * Undoes an HDF5 filter pipeline on one chunk, as libhdf5 does on read: the filters in reverse
 * order, skipping those the chunk's filter mask marks. Only the filters built into every libhdf5
 * are read (deflate, shuffle, fletcher32); any other makes the dataset unreadable here.
 */

export const FILTER_DEFLATE = 1;
export const FILTER_SHUFFLE = 2;
export const FILTER_FLETCHER32 = 3;

const FILTER_NAMES: Record<number, string> = {
  1: "deflate",
  2: "shuffle",
  3: "fletcher32",
  4: "szip",
  5: "nbit",
  6: "scaleoffset",
  305: "lzo",
  307: "bzip2",
  32000: "lzf",
  32001: "blosc",
  32004: "lz4",
  32008: "bitshuffle",
  32015: "zstd",
};

/** The first filter of the pipeline this reader cannot undo, described, or null. */
export function unsupportedFilter(filters: readonly Hdf5Filter[]): string | null {
  const filter = filters.find(
    (candidate) => ![FILTER_DEFLATE, FILTER_SHUFFLE, FILTER_FLETCHER32].includes(candidate.id),
  );
  if (!filter) return null;
  return `filter ${filter.id} (${filter.name || FILTER_NAMES[filter.id] || "unregistered"})`;
}

/**
 * The chunk's element bytes from its stored bytes. `chunkBytes` is the decoded chunk size; every
 * stage is bounded by it (plus the checksums a fletcher32 stage may still carry), so a stream that
 * inflates further fails instead of allocating.
 */
export function decodeChunk(
  stored: Uint8Array,
  filters: readonly Hdf5Filter[],
  filterMask: number,
  chunkBytes: number,
  elementSize: number,
): Uint8Array {
  let bytes = stored;
  const bound = chunkBytes + 4 * filters.length;
  for (let index = filters.length - 1; index >= 0; index--) {
    if (filterMask & (1 << index)) continue;
    const filter = filters[index]!;
    if (filter.id === FILTER_DEFLATE) bytes = inflate(bytes, bound);
    else if (filter.id === FILTER_SHUFFLE) bytes = unshuffle(bytes, filter.values[0] || elementSize);
    else if (filter.id === FILTER_FLETCHER32) bytes = checkFletcher32(bytes);
    else throw new Hdf5FormatError(`filter ${filter.id} cannot be undone`);
  }
  if (bytes.length !== chunkBytes) {
    throw new Hdf5FormatError(`chunk decodes to ${bytes.length} bytes; a chunk holds ${chunkBytes}`);
  }
  return bytes;
}

function inflate(bytes: Uint8Array, bound: number): Uint8Array {
  try {
    return inflateSync(bytes, { maxOutputLength: Math.max(1, bound) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new Hdf5FormatError(`chunk inflates past ${bound} bytes, more than a chunk holds`);
    }
    throw new Hdf5FormatError(`chunk does not inflate: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Shuffle stores byte 0 of every element, then byte 1 of every element, ...; a tail is left as is. */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1 || bytes.length < size) return bytes;
  const elements = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  for (let byte = 0; byte < size; byte++) {
    const from = byte * elements;
    for (let element = 0; element < elements; element++) out[element * size + byte] = bytes[from + element]!;
  }
  out.set(bytes.subarray(elements * size), elements * size);
  return out;
}

/** Strips and checks the trailing checksum; libhdf5 refuses a chunk whose checksum does not match. */
function checkFletcher32(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) throw new Hdf5FormatError("fletcher32 chunk is shorter than its checksum");
  const data = bytes.subarray(0, bytes.length - 4);
  const at = data.length;
  const stored = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
  const sum = fletcher32(data);
  // libhdf5 1.6.0-1.6.2 wrote the checksum with its halves' bytes swapped; libhdf5 accepts both.
  const reversed =
    (((sum & 0x000000ff) << 8) |
      ((sum & 0x0000ff00) >>> 8) |
      ((sum & 0x00ff0000) << 8) |
      ((sum & 0xff000000) >>> 8)) >>>
    0;
  if (stored !== sum && stored !== reversed) throw new Hdf5FormatError("fletcher32 checksum does not match the chunk");
  return data;
}

/** H5_checksum_fletcher32: 16-bit big-endian words, sums folded every 360 words. */
export function fletcher32(data: Uint8Array): number {
  let sum1 = 0;
  let sum2 = 0;
  let words = data.length >>> 1;
  let at = 0;
  while (words > 0) {
    const block = Math.min(words, 360);
    words -= block;
    for (let index = 0; index < block; index++, at += 2) {
      // uint32 arithmetic, as in C.
      sum1 = (sum1 + ((data[at]! << 8) | data[at + 1]!)) >>> 0;
      sum2 = (sum2 + sum1) >>> 0;
    }
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (data.length % 2 === 1) {
    sum1 = (sum1 + (data[at]! << 8)) >>> 0;
    sum2 = (sum2 + sum1) >>> 0;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}
