import { CorruptDataError, TruncatedDataError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { LzmaDecoder, parsePropertiesByte } from "./lzma-decoder.js";
import { RangeDecoder } from "./range-decoder.js";

/**
 * Decodes an LZMA2 chunk sequence from `input` starting at `start` into `output`.
 * Returns the offset just after the end-of-stream control byte.
 */
export function decodeLzma2(input: Uint8Array, start: number, output: LzOutput, tick?: () => void): number {
  const decoder = new LzmaDecoder(output);
  let position = start;
  let needDictionaryReset = true;
  let needProperties = true;
  for (;;) {
    tick?.();
    if (position >= input.length) throw new TruncatedDataError("LZMA2 data ended before its end marker");
    const control = input[position++] as number;
    if (control === 0x00) return position;
    if (control === 0x01 || control === 0x02) {
      if (position + 2 > input.length) throw new TruncatedDataError("LZMA2 chunk header cut short");
      const size = (((input[position] as number) << 8) | (input[position + 1] as number)) + 1;
      position += 2;
      if (control === 0x01) {
        decoder.resetDictionary();
        needDictionaryReset = false;
      } else if (needDictionaryReset) {
        throw new CorruptDataError("LZMA2 stream does not start with a dictionary reset");
      }
      if (position + size > input.length) throw new TruncatedDataError("LZMA2 stored chunk cut short");
      output.append(input.subarray(position, position + size));
      position += size;
      continue;
    }
    if (control < 0x80) throw new CorruptDataError(`invalid LZMA2 control byte 0x${control.toString(16)}`);
    if (position + 4 > input.length) throw new TruncatedDataError("LZMA2 chunk header cut short");
    const unpackedSize =
      (control & 0x1f) * 65536 + (((input[position] as number) << 8) | (input[position + 1] as number)) + 1;
    const packedSize = (((input[position + 2] as number) << 8) | (input[position + 3] as number)) + 1;
    position += 4;
    const reset = (control >>> 5) & 0x03;
    if (reset === 3) {
      decoder.resetDictionary();
      needDictionaryReset = false;
    } else if (needDictionaryReset) {
      throw new CorruptDataError("LZMA2 stream does not start with a dictionary reset");
    }
    if (reset >= 2) {
      if (position >= input.length) throw new TruncatedDataError("LZMA2 properties byte missing");
      decoder.setProperties(parsePropertiesByte(input[position++] as number));
      needProperties = false;
    } else if (needProperties) {
      throw new CorruptDataError("LZMA2 chunk without properties");
    }
    if (reset >= 1) decoder.resetState();
    const end = position + packedSize;
    if (end > input.length) throw new TruncatedDataError("LZMA2 compressed chunk cut short");
    const range = new RangeDecoder(input, position, end);
    decoder.decode(range, unpackedSize, false, tick);
    position = end;
  }
}

/** Reads the LZMA2 dictionary-size property byte (for limits and reports only; decoding ignores it). */
export function lzma2DictionarySize(property: number): number {
  if (property > 40) throw new CorruptDataError(`invalid LZMA2 dictionary property ${property}`);
  if (property === 40) return 0xffffffff;
  return (2 | (property & 1)) * 2 ** (Math.floor(property / 2) + 11);
}
