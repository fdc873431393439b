import { once } from "node:events";
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { CorruptDataError, isBoundError, TruncatedDataError } from "./decode-errors.js";
import type { OutputBuffer } from "./output-buffer.js";

export type DeflateWrapper = "raw" | "zlib" | "gzip";

/** zlib's output chunk: the most it decodes ahead of what we have accepted. */
const CHUNK = 64 * 1024;

/**
 * Streams deflate data through node:zlib into a bounded output, reading with backpressure so zlib
 * never runs more than one chunk past a bound. node:zlib (unlike fflate's streaming classes) reports
 * a stream cut short as an error, which is what fail-closed needs. Returns once the stream ended.
 */
export async function inflateInto(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  wrapper: DeflateWrapper,
  output: OutputBuffer,
): Promise<void> {
  const options = { chunkSize: CHUNK };
  const inflater =
    wrapper === "raw" ? createInflateRaw(options) : wrapper === "zlib" ? createInflate(options) : createGunzip(options);
  let stopped = false;
  const feeding = (async () => {
    for await (const chunk of chunks) {
      if (stopped) return;
      if (!inflater.write(chunk)) await Promise.race([once(inflater, "drain"), once(inflater, "close")]);
    }
    if (!stopped) inflater.end();
  })();
  // A failed feed (source read error) must surface; a feed cut off by our own stop must not.
  feeding.catch(() => undefined);
  try {
    for await (const piece of inflater) output.append(piece as Uint8Array);
    await feeding;
  } catch (error) {
    if (isBoundError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/unexpected end/i.test(message)) throw new TruncatedDataError(`${wrapper} data ended before its final block`);
    throw new CorruptDataError(`invalid ${wrapper} data: ${message}`);
  } finally {
    stopped = true;
    inflater.destroy();
  }
}
