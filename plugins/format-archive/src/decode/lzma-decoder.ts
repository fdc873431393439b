/**
 * An LZMA decoder written from the public LZMA specification (the LZMA SDK's LzmaSpec, public
 * domain). One decoder serves three containers: `.lzma` (LZMA-alone), xz (LZMA2) and 7z (LZMA,
 * LZMA2). The output buffer is the dictionary, so a match can never read outside decoded bytes.
 */
import { CorruptDataError, UnsupportedFeatureError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";
import { PROBABILITY_INIT, type RangeDecoder } from "./range-decoder.js";

const STATES = 12;
const POS_STATES_MAX = 16;
const MATCH_MIN_LENGTH = 2;
const END_POS_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
const ALIGN_BITS = 4;
const LEN_TO_POS_STATES = 4;

export interface LzmaProperties {
  literalContextBits: number;
  literalPositionBits: number;
  positionBits: number;
}

/** Splits the LZMA properties byte (lc + lp*9 + pb*45). */
export function parsePropertiesByte(value: number): LzmaProperties {
  if (value >= 9 * 5 * 5) throw new CorruptDataError(`invalid LZMA properties byte ${value}`);
  return {
    literalContextBits: value % 9,
    literalPositionBits: Math.floor(value / 9) % 5,
    positionBits: Math.floor(value / 45),
  };
}

class LengthDecoder {
  // choice, choice2, low[16][8], mid[16][8], high[256]
  readonly probabilities = new Uint16Array(2 + POS_STATES_MAX * 8 * 2 + 256);
  reset(): void {
    this.probabilities.fill(PROBABILITY_INIT);
  }
  decode(range: RangeDecoder, posState: number): number {
    const probabilities = this.probabilities;
    if (range.decodeBit(probabilities, 0) === 0) return range.decodeTree(probabilities, 2 + posState * 8, 3);
    if (range.decodeBit(probabilities, 1) === 0) {
      return 8 + range.decodeTree(probabilities, 2 + POS_STATES_MAX * 8 + posState * 8, 3);
    }
    return 16 + range.decodeTree(probabilities, 2 + POS_STATES_MAX * 16, 8);
  }
}

export type LzmaChunkEnd = "size-reached" | "end-marker";

export class LzmaDecoder {
  private properties: LzmaProperties = { literalContextBits: 3, literalPositionBits: 0, positionBits: 2 };
  private literal = new Uint16Array(0x300 << 3);
  private readonly isMatch = new Uint16Array(STATES << 4);
  private readonly isRep = new Uint16Array(STATES);
  private readonly isRepG0 = new Uint16Array(STATES);
  private readonly isRepG1 = new Uint16Array(STATES);
  private readonly isRepG2 = new Uint16Array(STATES);
  private readonly isRep0Long = new Uint16Array(STATES << 4);
  private readonly posSlot = new Uint16Array(LEN_TO_POS_STATES << 6);
  private readonly posDecoders = new Uint16Array(1 + FULL_DISTANCES - END_POS_MODEL_INDEX);
  private readonly align = new Uint16Array(1 << ALIGN_BITS);
  private readonly lengths = new LengthDecoder();
  private readonly repLengths = new LengthDecoder();
  private state = 0;
  private reps = [0, 0, 0, 0];
  /** Output position of the last dictionary reset: matches may not reach before it. */
  private dictionaryStart = 0;

  constructor(
    private readonly output: LzOutput,
    properties?: LzmaProperties,
  ) {
    if (properties) this.setProperties(properties);
    this.resetState();
  }

  setProperties(properties: LzmaProperties): void {
    if (properties.literalContextBits + properties.literalPositionBits > 12) {
      throw new CorruptDataError("LZMA lc + lp is too large");
    }
    this.properties = properties;
    const size = 0x300 << (properties.literalContextBits + properties.literalPositionBits);
    if (this.literal.length !== size) this.literal = new Uint16Array(size);
  }

  resetDictionary(): void {
    this.dictionaryStart = this.output.length;
  }

  resetState(): void {
    for (const table of [
      this.literal,
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
      this.posSlot,
      this.posDecoders,
      this.align,
    ]) {
      table.fill(PROBABILITY_INIT);
    }
    this.lengths.reset();
    this.repLengths.reset();
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  /**
   * Decodes from `range` until `size` bytes were produced (when not null) or the end marker.
   * `allowEndMarker` accepts an end marker right at `size` too, as LZMA-alone encoders may write one.
   */
  decode(range: RangeDecoder, size: number | null, allowEndMarker: boolean, tick?: () => void): LzmaChunkEnd {
    const output = this.output;
    const { literalContextBits, literalPositionBits, positionBits } = this.properties;
    const positionMask = (1 << positionBits) - 1;
    const literalPositionMask = (1 << literalPositionBits) - 1;
    const target = size === null ? Number.POSITIVE_INFINITY : output.length + size;
    let [rep0, rep1, rep2, rep3] = this.reps as [number, number, number, number];
    let state = this.state;
    let steps = 0;
    try {
      for (;;) {
        // At the declared size a clean range coder ends the stream; otherwise only an end marker may follow.
        if (output.length >= target && (!allowEndMarker || range.finishedCleanly())) return "size-reached";
        if ((++steps & 0xffff) === 0) tick?.();
        const relative = output.length - this.dictionaryStart;
        const posState = relative & positionMask;
        if (range.decodeBit(this.isMatch, (state << 4) + posState) === 0) {
          if (output.length >= target) throw new CorruptDataError("LZMA data goes on past its declared size");
          this.decodeLiteral(range, state, rep0, relative, literalPositionMask, literalContextBits);
          state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
          continue;
        }
        let length: number;
        if (range.decodeBit(this.isRep, state) !== 0) {
          if (relative === 0) throw new CorruptDataError("LZMA repeat match before any output");
          if (range.decodeBit(this.isRepG0, state) === 0) {
            if (range.decodeBit(this.isRep0Long, (state << 4) + posState) === 0) {
              if (output.length >= target) throw new CorruptDataError("LZMA data goes on past its declared size");
              if (rep0 >= relative) throw new CorruptDataError("LZMA match reaches before the start of the dictionary");
              if (rep0 >= output.reach) throw pastWindow(rep0, output.reach);
              if (rep0 >= output.reach) throw pastWindow(rep0, output.reach);
              state = state < 7 ? 9 : 11;
              output.pushByte(output.byteBack(rep0 + 1));
              continue;
            }
          } else {
            let distance: number;
            if (range.decodeBit(this.isRepG1, state) === 0) {
              distance = rep1;
            } else {
              if (range.decodeBit(this.isRepG2, state) === 0) {
                distance = rep2;
              } else {
                distance = rep3;
                rep3 = rep2;
              }
              rep2 = rep1;
            }
            rep1 = rep0;
            rep0 = distance;
          }
          length = this.repLengths.decode(range, posState);
          state = state < 7 ? 8 : 11;
        } else {
          rep3 = rep2;
          rep2 = rep1;
          rep1 = rep0;
          length = this.lengths.decode(range, posState);
          state = state < 7 ? 7 : 10;
          rep0 = this.decodeDistance(range, length);
          if (rep0 === 0xffffffff) {
            if (range.finishedCleanly()) return "end-marker";
            throw new CorruptDataError("LZMA end marker with a dirty range coder");
          }
        }
        length += MATCH_MIN_LENGTH;
        if (rep0 >= relative) throw new CorruptDataError("LZMA match reaches before the start of the dictionary");
        if (output.length + length > target) throw new CorruptDataError("LZMA match runs past the declared size");
        output.copyMatch(rep0 + 1, length);
      }
    } finally {
      this.reps = [rep0, rep1, rep2, rep3];
      this.state = state;
    }
  }

  private decodeLiteral(
    range: RangeDecoder,
    state: number,
    rep0: number,
    relative: number,
    literalPositionMask: number,
    literalContextBits: number,
  ): void {
    const output = this.output;
    const previous = relative > 0 ? output.byteBack(1) : 0;
    const literalState =
      ((relative & literalPositionMask) << literalContextBits) + (previous >>> (8 - literalContextBits));
    const base = 0x300 * literalState;
    const probabilities = this.literal;
    let symbol = 1;
    if (state >= 7) {
      let matchByte = output.byteBack(rep0 + 1);
      do {
        const matchBit = (matchByte >>> 7) & 1;
        matchByte <<= 1;
        const bit = range.decodeBit(probabilities, base + ((1 + matchBit) << 8) + symbol);
        symbol = (symbol << 1) | bit;
        if (matchBit !== bit) break;
      } while (symbol < 0x100);
    }
    while (symbol < 0x100) symbol = (symbol << 1) | range.decodeBit(probabilities, base + symbol);
    output.pushByte(symbol - 0x100);
  }

  private decodeDistance(range: RangeDecoder, length: number): number {
    const lengthState = Math.min(length, LEN_TO_POS_STATES - 1);
    const slot = range.decodeTree(this.posSlot, lengthState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let distance = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < END_POS_MODEL_INDEX) {
      distance += range.decodeReverseTree(this.posDecoders, distance - slot, directBits);
    } else {
      distance += range.decodeDirectBits(directBits - ALIGN_BITS) * 16;
      distance += range.decodeReverseTree(this.align, 0, ALIGN_BITS);
    }
    return distance;
  }
}

/** A match farther back than a streaming output keeps (a dictionary larger than its window): not decoded. */
function pastWindow(rep0: number, reach: number): UnsupportedFeatureError {
  return new UnsupportedFeatureError(
    `LZMA match reaches ${rep0 + 1} bytes back, past the ${reach} bytes kept in memory`,
  );
}
