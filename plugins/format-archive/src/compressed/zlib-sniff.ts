import { constants, inflateRawSync, inflateSync } from "node:zlib";

const TRIAL_INPUT = 4096;
const TRIAL_OUTPUT = 64 * 1024;

/**
 * A zlib stream has no magic beyond two header bytes that one text file in ~500 matches, so after the
 * header check a trial inflate of the first few KB must produce bytes without an error.
 */
export function looksLikeZlib(head: Uint8Array): boolean {
  if (head.length < 3) return false;
  const cmf = head[0] as number;
  const flags = head[1] as number;
  if (cmf !== 0x78 || (cmf * 256 + flags) % 31 !== 0 || (flags & 0x20) !== 0) return false;
  if ((((head[2] as number) >>> 1) & 0x03) === 0x03) return false; // reserved deflate block type
  return inflatesCleanly(head, "zlib");
}

/**
 * A trial inflate of the first few KB of `bytes` (a zlib stream, or raw deflate data) produces bytes
 * without an error; random bytes fail within a few symbols. Bytes after the stream's end are ignored.
 */
export function inflatesCleanly(bytes: Uint8Array, wrapper: "zlib" | "raw"): boolean {
  try {
    const inflate = wrapper === "zlib" ? inflateSync : inflateRawSync;
    const produced = inflate(bytes.subarray(0, TRIAL_INPUT), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: TRIAL_OUTPUT,
    });
    return produced.length > 0;
  } catch (error) {
    // Over the trial output bound means it inflates fine; anything else means it is not deflate data.
    return error instanceof RangeError;
  }
}
