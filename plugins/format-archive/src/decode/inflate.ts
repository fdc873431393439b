import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { CorruptDataError, isBoundError, TruncatedDataError } from "./decode-errors.js";
import type { ByteSink } from "./spill-output.js";

export type DeflateWrapper = "raw" | "zlib" | "gzip";

/** zlib's output chunk: the most it decodes ahead of what we have accepted. 1 MiB rather than 64 KiB: each
 * chunk is a round trip to the thread pool, and at 64 KiB those trips cost more than the decoding. */
const CHUNK = 1024 * 1024;
/** Compressed bytes queued ahead of zlib. */
const PENDING_INPUT = 4 * 1024 * 1024;

/**
 * Streams deflate data through node:zlib into a bounded output, reading with backpressure so zlib
 * never runs more than one chunk past a bound. node:zlib (unlike fflate's streaming classes) reports
 * a stream cut short as an error, which is what fail-closed needs. Returns once the stream ended, with
 * the number of input bytes zlib consumed (gzip: up to the end of the last member that directly follows
 * another; node:zlib stops at a zero byte after a member, treating it as padding).
 */
export async function inflateInto(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  wrapper: DeflateWrapper,
  output: ByteSink,
): Promise<number> {
  // Up to 4 MiB of compressed input waits in zlib's queue, so the next read overlaps the inflation
  // of the last one instead of waiting for its drain (bounded: it is input, never output).
  const options = { chunkSize: CHUNK, writableHighWaterMark: PENDING_INPUT };
  const inflater =
    wrapper === "raw" ? createInflateRaw(options) : wrapper === "zlib" ? createInflate(options) : createGunzip(options);
  let stopped = false;
  const feeding = (async () => {
    for await (const chunk of chunks) {
      if (stopped) return;
      if (!inflater.write(chunk)) await drainedOrClosed(inflater);
    }
    if (!stopped) inflater.end();
  })();
  // A failed feed (source read error) must surface; a feed cut off by our own stop must not.
  feeding.catch(() => undefined);
  try {
    for await (const piece of inflater) output.append(piece as Uint8Array);
    await feeding;
    return inflater.bytesWritten;
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

/**
 * Resolves on `drain` or `close`, whichever comes first, and removes both listeners then: racing two
 * `once` promises would leave one listener behind per wait (a MaxListenersExceededWarning on a large stream).
 */
function drainedOrClosed(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}
