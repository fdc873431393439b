import { createRequire } from "node:module";
import type * as Fzstd from "fzstd";
import { CorruptDataError, isBoundError } from "./decode-errors.js";

const PIECE = 64 * 1024;

/** Where decoded zstd bytes go: an in-memory output or a stream's spill output (fzstd keeps its own window). */
export interface ZstdOutput {
  append(chunk: Uint8Array): void;
}

/** fzstd is loaded (its CommonJS build) on the first zstd stream, not when the plugin starts. */
const requireHere = createRequire(import.meta.url);
let fzstd: typeof Fzstd | undefined;

/** Streams zstd frames through fzstd into a bounded output. Returns whether the last frame ended. */
export function decodeZstd(input: Uint8Array, output: ZstdOutput, tick?: () => void): boolean {
  const stream = new ZstdStream(output);
  for (let offset = 0; offset < input.length; offset += PIECE) {
    tick?.();
    const end = Math.min(input.length, offset + PIECE);
    stream.push(input.subarray(offset, end), end === input.length);
  }
  return stream.complete;
}

/**
 * Decodes zstd frames read in chunks (a whole-file stream, never held in memory). Returns whether
 * the last frame ended.
 */
export async function decodeZstdChunks(chunks: AsyncIterable<Uint8Array>, output: ZstdOutput): Promise<boolean> {
  const stream = new ZstdStream(output);
  for await (const chunk of chunks) stream.push(chunk, false);
  stream.push(new Uint8Array(0), true);
  return stream.complete;
}

/** fzstd's push-based decompressor with its errors mapped to ours; bound errors of the output pass through. */
class ZstdStream {
  complete = false;
  private readonly stream: Fzstd.Decompress;

  constructor(output: ZstdOutput) {
    fzstd ??= requireHere("fzstd") as typeof Fzstd;
    this.stream = new fzstd.Decompress((data, final) => {
      output.append(data);
      if (final) this.complete = true;
    });
  }

  push(chunk: Uint8Array, final: boolean): void {
    try {
      this.stream.push(chunk, final);
    } catch (error) {
      if (isBoundError(error)) throw error;
      throw new CorruptDataError(`invalid zstd data: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
