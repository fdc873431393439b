import { inflatesCleanly } from "./zlib-sniff.js";

/**
 * Stricter sniffs for streams found inside other bytes (`identify` over the low bits of weights, a
 * decoded string). There a 3- or 4-byte magic turns up by chance: a 64 KiB window of random bits
 * holds "\x1f\x8b\x08" once in 256 windows, and a model has hundreds of tensors. So each check here
 * adds header fields a chance match fails, until a random window passes about once in 2^20 or less.
 */

/**
 * gzip: reserved flag bits clear, an extra-flags byte a compressor writes (0, 2 or 4), a known OS
 * byte, and the start of the deflate data inflating without error (random deflate data fails within
 * a few symbols: reserved block types, invalid code lengths, distances before the start).
 */
export function plausibleEmbeddedGzip(head: Uint8Array): boolean {
  if (head.length < 18) return false;
  const flags = head[3] as number;
  const extraFlags = head[8] as number;
  const os = head[9] as number;
  if ((flags & 0xe0) !== 0 || ![0, 2, 4].includes(extraFlags) || (os > 13 && os !== 255)) return false;
  // The deflate data starts after the optional fields; inflated raw, bytes after its end are ignored
  // (an embedded stream is followed by whatever the carrier holds next).
  let at = 10;
  if (flags & 0x04) at += 2 + ((head[at] as number) | ((head[at + 1] as number) << 8)); // FEXTRA
  for (const field of [0x08, 0x10]) {
    if ((flags & field) === 0) continue; // FNAME, FCOMMENT: zero-terminated
    while (at < head.length && head[at] !== 0) at++;
    at++;
  }
  if (flags & 0x02) at += 2; // FHCRC
  if (at >= head.length) return false;
  return inflatesCleanly(head.subarray(at), "raw");
}

/**
 * zstd: a frame header with its reserved bit clear and a window a decoder accepts (2^27 at most, as
 * zstd does without --long), then a first block of a defined type no larger than 128 KiB.
 * (No trial decode: a decoder sizes its window from the header, which random bytes make huge.)
 */
export function plausibleEmbeddedZstd(head: Uint8Array): boolean {
  if (head.length < 9) return false;
  const descriptor = head[4] as number;
  if ((descriptor & 0x08) !== 0) return false;
  const singleSegment = (descriptor & 0x20) !== 0;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 0x03] as number;
  const sizeFlag = descriptor >> 6;
  const contentSizeBytes = sizeFlag === 0 ? (singleSegment ? 1 : 0) : ([0, 2, 4, 8][sizeFlag] as number);
  let at = 5;
  if (!singleSegment) {
    const windowLog = 10 + ((head[at] as number) >> 3);
    if (windowLog > 27) return false;
    at++;
  }
  at += dictionaryBytes + contentSizeBytes;
  if (head.length < at + 3) return false;
  const block = (head[at] as number) | ((head[at + 1] as number) << 8) | ((head[at + 2] as number) << 16);
  const type = (block >> 1) & 0x03;
  const size = block >>> 3;
  return type !== 3 && size <= 128 * 1024;
}

/**
 * LZ4 frame: version 01 (checked by the plain sniff), reserved bits of both descriptor bytes clear,
 * a block maximum size id of 4-7, and the header checksum byte every writer sets (the second byte of
 * the descriptor's XXH32).
 */
export function plausibleEmbeddedLz4(head: Uint8Array): boolean {
  if (head.length < 7) return false;
  const flags = head[4] as number;
  const blockDescriptor = head[5] as number;
  const sizeId = (blockDescriptor >> 4) & 0x07;
  if ((flags & 0x02) !== 0 || (blockDescriptor & 0x8f) !== 0 || sizeId < 4) return false;
  const descriptorEnd = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0);
  if (head.length <= descriptorEnd) return false;
  return head[descriptorEnd] === (xxh32Short(head.subarray(4, descriptorEnd)) >>> 8) % 256;
}

const PRIME1 = 2654435761;
const PRIME2 = 2246822519;
const PRIME3 = 3266489917;
const PRIME4 = 668265263;
const PRIME5 = 374761393;

/** XXH32 with seed 0 of fewer than 16 bytes (an LZ4 frame descriptor is 2 to 14). */
function xxh32Short(bytes: Uint8Array): number {
  let hash = (PRIME5 + bytes.length) >>> 0;
  let at = 0;
  for (; at + 4 <= bytes.length; at += 4) {
    const word =
      ((bytes[at] as number) |
        ((bytes[at + 1] as number) << 8) |
        ((bytes[at + 2] as number) << 16) |
        ((bytes[at + 3] as number) << 24)) >>>
      0;
    hash = (hash + Math.imul(word, PRIME3)) >>> 0;
    hash = Math.imul(rotateLeft(hash, 17), PRIME4) >>> 0;
  }
  for (; at < bytes.length; at++) {
    hash = (hash + Math.imul(bytes[at] as number, PRIME5)) >>> 0;
    hash = Math.imul(rotateLeft(hash, 11), PRIME1) >>> 0;
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, PRIME2) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, PRIME3) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
