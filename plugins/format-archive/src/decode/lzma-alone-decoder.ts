import { CorruptDataError, TruncatedDataError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { LzmaDecoder, parsePropertiesByte } from "./lzma-decoder.js";
import { RangeDecoder } from "./range-decoder.js";
import { LZMA_ALONE_HEADER, pickyDictionarySize } from "./stream-magic.js";

/** The declared uncompressed size of an LZMA-alone header, or null when it is "unknown" (all ones). */
export function lzmaAloneDeclaredSize(input: Uint8Array, start = 0): number | null {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const low = view.getUint32(start + 5, true);
  const high = view.getUint32(start + 9, true);
  if (low === 0xffffffff && high === 0xffffffff) return null;
  if (high >= 0x200000) throw new CorruptDataError("LZMA declared size is beyond 2^53");
  return high * 2 ** 32 + low;
}

/**
 * Decodes an `.lzma` (LZMA-alone) stream at `start`: properties, dictionary size, 64-bit size, LZMA
 * data. Returns the offset just after its last byte.
 */
export function decodeLzmaAlone(input: Uint8Array, output: LzOutput, tick?: () => void, start = 0): number {
  if (input.length < start + LZMA_ALONE_HEADER + 5) throw new TruncatedDataError("LZMA header cut short");
  const decoder = new LzmaDecoder(output, parsePropertiesByte(input[start] as number));
  // A stream after another (concatenated) starts with an empty dictionary, at position 0.
  decoder.resetDictionary();
  const range = new RangeDecoder(input, start + LZMA_ALONE_HEADER);
  decoder.decode(range, lzmaAloneDeclaredSize(input, start), true, tick);
  return range.position;
}

/**
 * Whether liblzma's auto decoder (lzma_auto_decoder, as Python's LZMAFile starts one on each stream)
 * takes the bytes at `start` as an LZMA-alone header: a properties byte under 225, a picky dictionary
 * size, and a size that is "unknown" or under 2^38. False when the header is cut short.
 */
export function lzmaAloneHeaderAccepted(input: Uint8Array, start: number): boolean {
  if (start + LZMA_ALONE_HEADER > input.length) return false;
  if ((input[start] as number) >= 9 * 5 * 5) return false;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (!pickyDictionarySize(view.getUint32(start + 1, true))) return false;
  const low = view.getUint32(start + 5, true);
  const high = view.getUint32(start + 9, true);
  if (low === 0xffffffff && high === 0xffffffff) return true;
  return high < 1 << 6;
}
