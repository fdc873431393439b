import { CorruptDataError, TruncatedDataError } from "./decode-errors.js";

const TOP_VALUE = 0x1000000;
const PROBABILITY_BITS = 11;
const MOVE_BITS = 5;
export const PROBABILITY_INIT = 1 << (PROBABILITY_BITS - 1);

/** The LZMA range decoder over one in-memory input window. Numbers are kept unsigned in doubles. */
export class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  position: number;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly end: number = input.length,
  ) {
    this.position = start;
    if (this.nextByte() !== 0) throw new CorruptDataError("LZMA range coder does not start with a zero byte");
    for (let index = 0; index < 4; index++) this.code = (this.code * 256 + this.nextByte()) >>> 0;
    if (this.code === this.range) throw new CorruptDataError("LZMA range coder starts in an impossible state");
  }

  /** True when the stream ended cleanly (the encoder flushed a zero code). */
  finishedCleanly(): boolean {
    return this.code === 0;
  }

  private nextByte(): number {
    if (this.position >= this.end) throw new TruncatedDataError("LZMA data ended early");
    return this.input[this.position++] as number;
  }

  private normalize(): void {
    if (this.range < TOP_VALUE) {
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) >>> 0) + this.nextByte();
      this.code >>>= 0;
    }
  }

  decodeBit(probabilities: Uint16Array, index: number): number {
    const probability = probabilities[index] as number;
    const bound = (this.range >>> PROBABILITY_BITS) * probability;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      probabilities[index] = probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS);
      bit = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probabilities[index] = probability - (probability >>> MOVE_BITS);
      bit = 1;
    }
    this.normalize();
    return bit;
  }

  decodeDirectBits(count: number): number {
    let result = 0;
    for (let index = 0; index < count; index++) {
      this.range = this.range >>> 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      result = result * 2 + bit;
      this.normalize();
    }
    return result;
  }

  decodeTree(probabilities: Uint16Array, offset: number, bits: number): number {
    let symbol = 1;
    for (let index = 0; index < bits; index++) symbol = symbol * 2 + this.decodeBit(probabilities, offset + symbol);
    return symbol - (1 << bits);
  }

  decodeReverseTree(probabilities: Uint16Array, offset: number, bits: number): number {
    let symbol = 1;
    let result = 0;
    for (let index = 0; index < bits; index++) {
      const bit = this.decodeBit(probabilities, offset + symbol);
      symbol = symbol * 2 + bit;
      result |= bit << index;
    }
    return result;
  }
}
