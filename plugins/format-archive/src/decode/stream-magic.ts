/** Stream signatures and header sizes the sniffers need without loading the decoders. */

/** xz stream header magic. */
export const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;
/** LZ4 frame magic (little-endian 0x184D2204), as written by the `lz4` tool and python lz4.frame. */
export const LZ4_FRAME_MAGIC = [0x04, 0x22, 0x4d, 0x18] as const;
/** LZMA-alone header: properties byte, dictionary size, 64-bit uncompressed size. */
export const LZMA_ALONE_HEADER = 13;
/**
 * liblzma's test in the auto decoder Python's LZMAFile uses (alone_decoder.c, picky): a dictionary size
 * must equal itself rounded up to 2^n or 2^n + 2^(n-1), or be all ones. Sizes under 4 KiB pass (they
 * are raised to 4 KiB); so does 0.
 */
export function pickyDictionarySize(size: number): boolean {
  if (size === 0xffffffff) return true;
  let rounded = (size - 1) >>> 0;
  rounded = (rounded | (rounded >>> 2)) >>> 0;
  rounded = (rounded | (rounded >>> 3)) >>> 0;
  rounded = (rounded | (rounded >>> 4)) >>> 0;
  rounded = (rounded | (rounded >>> 8)) >>> 0;
  rounded = (rounded | (rounded >>> 16)) >>> 0;
  return (rounded + 1) >>> 0 === size;
}

/** LZ4 legacy frame magic (little-endian 0x184C2102), as `lz4 -l` writes it: no header, 4-byte block sizes. */
export const LZ4_LEGACY_MAGIC = [0x02, 0x21, 0x4c, 0x18] as const;
/** zstd frame magic (little-endian 0xFD2FB528). */
export const ZSTD_FRAME_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
/** Leading skippable frames followed when sniffing: the zstd and lz4 tools skip any number, writers put one or two. */
export const SKIPPABLE_FRAMES_MAX = 64;

function u32At(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) +
    (bytes[at + 3] as number) * 0x1000000
  );
}

/** Skippable frame magics 0x184D2A50..0x184D2A5F, shared by zstd and LZ4 (both tools skip them). */
export function isSkippableMagic(bytes: Uint8Array, at = 0): boolean {
  return at + 4 <= bytes.length && (u32At(bytes, at) & 0xfffffff0) === 0x184d2a50;
}

/**
 * A stream that opens with skippable frames (zstd and lz4 share them): walks the run in the sniffed
 * head, each size checked against the file, and returns where the first real frame starts and its
 * first four bytes, or `next: null` when that lies past the head. Null when the source does not open
 * with a skippable frame, a size runs past the file, the run is longer than SKIPPABLE_FRAMES_MAX, or
 * nothing follows it.
 */
export function afterSkippableFrames(
  head: Uint8Array,
  size: number,
): { offset: number; next: Uint8Array | null } | null {
  if (!isSkippableMagic(head, 0)) return null;
  let offset = 0;
  for (let frames = 0; frames < SKIPPABLE_FRAMES_MAX; frames++) {
    if (offset + 8 > head.length) return offset + 8 <= size ? { offset, next: null } : null;
    if (!isSkippableMagic(head, offset)) {
      return { offset, next: offset + 4 <= head.length ? head.subarray(offset, offset + 4) : null };
    }
    const frameSize = u32At(head, offset + 4);
    offset += 8 + frameSize;
    if (offset + 4 > size) return null; // past the file, or nothing but skippable frames
  }
  return null;
}
