import { CorruptDataError, TruncatedDataError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { LzmaDecoder, parsePropertiesByte } from "./lzma-decoder.js";
import { RangeDecoder } from "./range-decoder.js";
import { LZMA_ALONE_HEADER } from "./stream-magic.js";

/** The declared uncompressed size of an LZMA-alone header, or null when it is "unknown" (all ones). */
export function lzmaAloneDeclaredSize(input: Uint8Array): number | null {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const low = view.getUint32(5, true);
  const high = view.getUint32(9, true);
  if (low === 0xffffffff && high === 0xffffffff) return null;
  if (high >= 0x200000) throw new CorruptDataError("LZMA declared size is beyond 2^53");
  return high * 2 ** 32 + low;
}

/** Decodes an `.lzma` (LZMA-alone) stream: properties, dictionary size, 64-bit size, LZMA data. */
export function decodeLzmaAlone(input: Uint8Array, output: LzOutput, tick?: () => void): number {
  if (input.length < LZMA_ALONE_HEADER + 5) throw new TruncatedDataError("LZMA header cut short");
  const decoder = new LzmaDecoder(output, parsePropertiesByte(input[0] as number));
  const range = new RangeDecoder(input, LZMA_ALONE_HEADER);
  decoder.decode(range, lzmaAloneDeclaredSize(input), true, tick);
  return range.position;
}
