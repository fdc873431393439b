import { CorruptDataError, OutputLimitError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { decodeLzmaAlone, lzmaAloneHeaderAccepted } from "./lzma-alone-decoder.js";
import { decodeXzSingleStream, hasXzMagic, nextXzStream, xzPaddingEnd } from "./xz-decoder.js";

/** Streams followed in one file (each may be an empty 18-byte LZMA-alone stream): past it, decoding stops (inconclusive). */
export const LZMA_FILE_STREAMS_MAX = 1024;

export type LzmaFileAnomaly = (message: string, offset: number) => void;

type StreamFormat = "xz" | "LZMA-alone";

/** The format liblzma's auto decoder gives the bytes at `position`, or null when it refuses them. */
function autoFormat(input: Uint8Array, position: number): StreamFormat | null {
  if (hasXzMagic(input, position)) return "xz";
  return lzmaAloneHeaderAccepted(input, position) ? "LZMA-alone" : null;
}

function decodeOne(format: StreamFormat, input: Uint8Array, at: number, output: LzOutput, tick?: () => void): number {
  return format === "xz" ? decodeXzSingleStream(input, at, output, tick) : decodeLzmaAlone(input, output, tick, at);
}

function allNul(input: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (input[index] !== 0) return false;
  return true;
}

/**
 * Decodes an xz or LZMA-alone file as Python's lzma.LZMAFile reads it (joblib's 'xz' and 'lzma',
 * pandas): FORMAT_AUTO, and once a stream ends a new auto decoder starts on the bytes left, so xz and
 * LZMA-alone streams follow each other in any order (CPython's _compression.DecompressReader); bytes
 * it refuses as a stream end the read silently. `xz -dc` reads differently: after an xz stream only
 * NUL padding in fours and more xz streams, after an LZMA-alone stream nothing. Where the two readings
 * part, both are decoded (the longer one is the other's prefix: an empty LZMA-alone stream of 18 NULs
 * is the only stream Python reads inside xz's padding) and `anomaly` reports the difference.
 * Returns where the last stream read ends (the file's end when only xz padding follows it).
 */
export function decodeLzmaFile(
  input: Uint8Array,
  output: LzOutput,
  anomaly: LzmaFileAnomaly,
  tick?: () => void,
): number {
  const first: StreamFormat = hasXzMagic(input, 0) ? "xz" : "LZMA-alone";
  let position = decodeOne(first, input, 0, output, tick);
  let pythonReads = true;
  // Where xz's padding starts (the end of the last stream xz read), or null once xz has stopped.
  let xzFrom: number | null = first === "xz" ? position : null;
  let lastFormat: StreamFormat = first;
  // The difference where xz stops and Python reads on was reported.
  let xzStopped = false;
  for (let streams = 1; ; streams++) {
    if (position >= input.length) return position;
    const pythonNext = pythonReads ? autoFormat(input, position) : null;
    const xzNext = xzFrom === null ? null : nextXzStream(input, xzFrom);
    if (pythonNext === null && (xzNext === null || xzNext < position)) {
      // Both stop: NUL padding xz accepts up to the end is part of the file, anything else trails.
      if (xzFrom !== null && xzPaddingEnd(input, xzFrom) === input.length) return input.length;
      return position;
    }
    if (streams >= LZMA_FILE_STREAMS_MAX) {
      throw new OutputLimitError(`more than ${LZMA_FILE_STREAMS_MAX} concatenated LZMA streams`);
    }
    if (pythonNext !== null) {
      let end: number;
      try {
        end = decodeOne(pythonNext, input, position, output, tick);
      } catch (error) {
        // liblzma refuses the stream in its first read: Python's LZMAFile ignores it as trailing data.
        if (error instanceof CorruptDataError) return position;
        throw error;
      }
      const emptyPadding = allNul(input, position, end);
      if (xzFrom !== null && xzNext === position) {
        xzFrom = end; // the same xz stream in both readings
      } else if (xzFrom !== null && emptyPadding && xzPaddingEnd(input, xzFrom) >= end) {
        // An empty LZMA-alone stream of NULs inside what xz skips as padding: the readings still agree.
      } else if (!xzStopped && !emptyPadding) {
        anomaly(xzStopsMessage(first, lastFormat, pythonNext, position), position);
        xzStopped = true;
        xzFrom = null;
      } else {
        xzFrom = null;
      }
      lastFormat = pythonNext;
      position = end;
      continue;
    }
    // Only xz reads on: Python's auto decoder refuses the padding and stops there.
    const next = xzNext as number;
    anomaly(
      `${next - position} bytes of NUL stream padding at ${position}, then another xz stream at ${next}: xz -dc skips the padding and reads it; Python's lzma.LZMAFile (joblib, pandas) stops at the padding (ignored as trailing data)`,
      position,
    );
    pythonReads = false;
    position = decodeXzSingleStream(input, next, output, tick);
    xzFrom = position;
    lastFormat = "xz";
  }
}

function xzStopsMessage(first: StreamFormat, previous: StreamFormat, next: StreamFormat, position: number): string {
  const why =
    first === "LZMA-alone"
      ? "xz -dc reads one stream of an LZMA-alone file and stops"
      : next === "LZMA-alone"
        ? "xz -dc reads only xz streams after an xz stream and stops"
        : "xz -dc stops at the NUL bytes before it (not stream padding)";
  return `${next} stream at ${position} after the ${previous} stream: Python's lzma.LZMAFile (joblib 'xz'/'lzma', pandas) starts a new auto-detected stream there and reads it; ${why} ("Compressed data is corrupt")`;
}
