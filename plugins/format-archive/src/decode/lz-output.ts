/**
 * What LZ77 decoders write to: an in-memory `OutputBuffer` (the whole output is the window) or a
 * `WindowedOutput` (only the last bytes are kept, the rest streams on).
 */
export interface LzOutput {
  /** Bytes decoded so far. */
  readonly length: number;
  /** How many of the last bytes can still be read back (`length` when everything is kept). */
  readonly reach: number;
  pushByte(value: number): void;
  append(chunk: Uint8Array): void;
  /** Copies `count` bytes starting `distance` bytes back (may overlap itself); `distance` <= `reach`. */
  copyMatch(distance: number, count: number): void;
  /** The byte `distance` bytes back (1 = the last one); `distance` <= `reach`. */
  byteBack(distance: number): number;
}
