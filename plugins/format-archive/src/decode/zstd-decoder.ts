import { Decompress } from "fzstd";
import { CorruptDataError, isBoundError } from "./decode-errors.js";
import type { OutputBuffer } from "./output-buffer.js";

const PIECE = 64 * 1024;

/** Streams zstd frames through fzstd into a bounded output. Returns whether the last frame ended. */
export function decodeZstd(input: Uint8Array, output: OutputBuffer, tick?: () => void): boolean {
  let complete = false;
  const stream = new Decompress((data, final) => {
    output.append(data);
    if (final) complete = true;
  });
  try {
    for (let offset = 0; offset < input.length; offset += PIECE) {
      tick?.();
      const end = Math.min(input.length, offset + PIECE);
      stream.push(input.subarray(offset, end), end === input.length);
    }
  } catch (error) {
    if (isBoundError(error)) throw error;
    throw new CorruptDataError(`invalid zstd data: ${error instanceof Error ? error.message : String(error)}`);
  }
  return complete;
}
