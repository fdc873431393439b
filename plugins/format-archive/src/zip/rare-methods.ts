import { decodeBzip2 } from "../decode/bzip2-decoder.js";
import { TruncatedDataError } from "../decode/decode-errors.js";
import { LzmaDecoder, parsePropertiesByte } from "../decode/lzma-decoder.js";
import type { OutputBuffer } from "../decode/output-buffer.js";
import { RangeDecoder } from "../decode/range-decoder.js";
import { decodeXz } from "../decode/xz-decoder.js";
import { decodeZstd } from "../decode/zstd-decoder.js";

/** Zip's LZMA (method 14): a 2-byte version, a 2-byte properties size, the 5 properties bytes, data. */
function decodeZipLzma(input: Uint8Array, output: OutputBuffer, tick: () => void): void {
  if (input.length < 9) throw new TruncatedDataError("zip LZMA header cut short");
  const propertiesSize = input[2]! | (input[3]! << 8);
  if (propertiesSize < 5 || 4 + propertiesSize > input.length)
    throw new TruncatedDataError("zip LZMA properties cut short");
  const decoder = new LzmaDecoder(output, parsePropertiesByte(input[4]!));
  decoder.decode(new RangeDecoder(input, 4 + propertiesSize), null, true, tick);
}

/** Decoders of the zip methods other than stored and deflate, by method number. */
export const IN_MEMORY_METHODS: Record<number, (input: Uint8Array, output: OutputBuffer, tick: () => void) => void> = {
  12: (input, output, tick) => void decodeBzip2(input, output, tick),
  14: decodeZipLzma,
  93: (input, output, tick) => {
    if (!decodeZstd(input, output, tick)) throw new TruncatedDataError("zstd data ended before its last frame");
  },
  95: (input, output, tick) => void decodeXz(input, output, tick),
};
