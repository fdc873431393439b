import { createRequire } from "node:module";
import type * as Fzstd from "fzstd";
import { CorruptDataError, isBoundError } from "./decode-errors.js";
import type { OutputBuffer } from "./output-buffer.js";

const PIECE = 64 * 1024;

/** fzstd is loaded (its CommonJS build) on the first zstd stream, not when the plugin starts. */
const requireHere = createRequire(import.meta.url);
let fzstd: typeof Fzstd | undefined;

/** Streams zstd frames through fzstd into a bounded output. Returns whether the last frame ended. */
export function decodeZstd(input: Uint8Array, output: OutputBuffer, tick?: () => void): boolean {
  let complete = false;
  fzstd ??= requireHere("fzstd") as typeof Fzstd;
  const stream = new fzstd.Decompress((data, final) => {
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
