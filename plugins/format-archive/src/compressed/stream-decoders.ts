import { ByteWriter } from "../decode/byte-writer.js";
import { decodeBzip2 } from "../decode/bzip2-decoder.js";
import { TruncatedDataError } from "../decode/decode-errors.js";
import { decodeLz4Frames, LZ4_WINDOW } from "../decode/lz4-decoder.js";
import { decodeLzmaFile } from "../decode/lzma-file.js";
import type { ByteSink } from "../decode/spill-output.js";
import { WindowedOutput } from "../decode/windowed-output.js";
import { decodeZstdChunks } from "../decode/zstd-decoder.js";
import { type StreamInput, sourceChunks } from "./stream-codecs.js";

/**
 * The LZMA dictionary kept in memory while xz and LZMA-alone streams decode: twice the largest that
 * xz's presets write (64 MiB at -9). A match reaching farther stops the decode (inconclusive).
 */
const LZMA_WINDOW = 128 * 1024 * 1024;

function bytesOf(input: StreamInput): Uint8Array {
  if (!input.bytes) throw new Error("this codec reads its whole input (wholeInput)");
  return input.bytes;
}

/** Decodes through a sliding window into the stream's output; what was decoded reaches it however decoding stops. */
function decodeWindowed(output: ByteSink, window: number, decode: (windowed: WindowedOutput) => number): number {
  const windowed = new WindowedOutput(output, window);
  try {
    return decode(windowed);
  } finally {
    windowed.flush();
  }
}

/** bzip2 blocks are independent: bytes go straight to the output. */
export function decodeBzip2Stream(input: StreamInput, output: ByteSink): number {
  const writer = new ByteWriter(output);
  try {
    return decodeBzip2(bytesOf(input), writer, input.tick);
  } finally {
    writer.flush();
  }
}

/**
 * xz and LZMA-alone files as Python's lzma.LZMAFile reads them (joblib, pandas): concatenated streams
 * of either format; where `xz -dc` reads a different extent, a parser-differential anomaly.
 */
export function decodeLzmaFileStream(input: StreamInput, output: ByteSink): number {
  const anomaly = (message: string, offset: number) => input.anomaly("parser-differential", message, offset);
  return decodeWindowed(output, LZMA_WINDOW, (windowed) =>
    decodeLzmaFile(bytesOf(input), windowed, anomaly, input.tick),
  );
}

export function decodeLz4Stream(input: StreamInput, output: ByteSink): number {
  return decodeWindowed(output, LZ4_WINDOW, (windowed) => decodeLz4Frames(bytesOf(input), windowed, input.tick));
}

/** fzstd keeps its own window: input and output both stream. */
export async function decodeZstdStream(input: StreamInput, output: ByteSink): Promise<null> {
  const chunks = sourceChunks(input.source, 0, input.source.size, input.tick);
  if (!(await decodeZstdChunks(chunks, output)))
    throw new TruncatedDataError("zstd stream ended before its last frame");
  return null;
}
