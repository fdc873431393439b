import { ExtractedStream, type HiddenData } from "./extracted-stream.js";
import type { FloatFormat } from "./float-formats.js";
import { bfloat16Table, float16Table } from "./half-precision.js";
import { ValueStatistics } from "./value-statistics.js";

/** Misaligned data is copied through this many bytes at a time (a multiple of every value size). */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: ArrayBuffer | null = null;
/** float16/bfloat16 values decoded to numbers, reused. */
let decoded: Float32Array | null = null;

export interface TensorResult {
  statistics: ValueStatistics;
  /** What the low-order bits hide, by stream; the first stream with something. */
  hidden: HiddenData | null;
  /** Values read (finite or not). */
  values: number;
}

/**
 * Reads one tensor's data as it streams past, in order, in pieces of any size and alignment:
 * statistics of every value and the low-order bit streams, in memory bounded per tensor.
 */
export class TensorScanner {
  readonly statistics = new ValueStatistics();
  private readonly streams: ExtractedStream[];
  private readonly lsbMostFirst: ExtractedStream;
  private readonly lsbLeastFirst: ExtractedStream;
  private readonly lowByte: ExtractedStream | null;
  /** Bits gathered toward the next byte of the two LSB streams. */
  private mostFirst = 0;
  private leastFirst = 0;
  private bits = 0;
  private values = 0;
  /** A value split across pieces; a fresh buffer, so aligned for every view. */
  private readonly carry = new Uint8Array(8);
  private carried = 0;

  constructor(
    private readonly format: FloatFormat,
    byteLength: number,
  ) {
    const count = Math.floor(byteLength / format.size);
    this.lsbMostFirst = new ExtractedStream("lsb-msb-first", Math.ceil(count / 8));
    this.lsbLeastFirst = new ExtractedStream("lsb-lsb-first", Math.ceil(count / 8));
    // Low bytes of 32- and 64-bit values are noise-level precision; in 16-bit values they are half the value.
    this.lowByte = format.size >= 4 ? new ExtractedStream("low-byte", count) : null;
    this.streams = [this.lsbMostFirst, this.lsbLeastFirst, ...(this.lowByte ? [this.lowByte] : [])];
  }

  push(bytes: Uint8Array): void {
    const size = this.format.size;
    let index = 0;
    if (this.carried > 0) {
      const take = Math.min(size - this.carried, bytes.length);
      this.carry.set(bytes.subarray(0, take), this.carried);
      this.carried += take;
      index = take;
      if (this.carried < size) return;
      this.readAligned(this.carry.buffer, 0, 1);
      this.carried = 0;
    }
    const whole = Math.floor((bytes.length - index) / size);
    const start = bytes.byteOffset + index;
    if (start % size === 0) {
      this.readAligned(bytes.buffer, start, whole);
    } else {
      scratch ??= new ArrayBuffer(SCRATCH_BYTES);
      const view = new Uint8Array(scratch);
      const perPiece = SCRATCH_BYTES / size;
      for (let done = 0; done < whole; done += perPiece) {
        const count = Math.min(perPiece, whole - done);
        const from = index + done * size;
        view.set(bytes.subarray(from, from + count * size));
        this.readAligned(scratch, 0, count);
      }
    }
    const rest = index + whole * size;
    if (rest < bytes.length) {
      this.carry.set(bytes.subarray(rest));
      this.carried = bytes.length - rest;
    }
  }

  end(): TensorResult {
    let hidden: HiddenData | null = null;
    for (const stream of this.streams) {
      const found = stream.end();
      // A file signature outranks text; otherwise the first stream wins.
      if (found && (hidden === null || (hidden.signature === null && found.signature !== null))) hidden = found;
    }
    return { statistics: this.statistics, hidden, values: this.values };
  }

  /** Reads `count` whole values at `byteOffset` of `buffer` (aligned to the value size). */
  private readAligned(buffer: ArrayBufferLike, byteOffset: number, count: number): void {
    if (count === 0) return;
    this.values += count;
    switch (this.format.kind) {
      case "float32":
        this.statistics.addAll(new Float32Array(buffer, byteOffset, count));
        this.lowBits(new Uint32Array(buffer, byteOffset, count), 1);
        return;
      case "float64":
        this.statistics.addAll(new Float64Array(buffer, byteOffset, count));
        // The low word of a little-endian float64 comes first.
        this.lowBits(new Uint32Array(buffer, byteOffset, count * 2), 2);
        return;
      default: {
        const table = this.format.kind === "float16" ? float16Table() : bfloat16Table();
        const halves = new Uint16Array(buffer, byteOffset, count);
        decoded = decoded && decoded.length >= count ? decoded : new Float32Array(Math.max(count, SCRATCH_BYTES / 2));
        const values = decoded.subarray(0, count);
        for (let index = 0; index < count; index++) values[index] = table[halves[index] as number] as number;
        this.statistics.addAll(values);
        this.lowBits(halves, 1);
      }
    }
  }

  /** Feeds the bit streams from the low word of each value (every `stride`-th word). */
  private lowBits(words: Uint32Array | Uint16Array, stride: number): void {
    let mostFirst = this.mostFirst;
    let leastFirst = this.leastFirst;
    let bits = this.bits;
    const lowByte = this.lowByte;
    for (let index = 0; index < words.length; index += stride) {
      const word = words[index] as number;
      const bit = word & 1;
      mostFirst = (mostFirst << 1) | bit;
      leastFirst |= bit << bits;
      if (++bits === 8) {
        this.lsbMostFirst.push(mostFirst);
        this.lsbLeastFirst.push(leastFirst);
        mostFirst = 0;
        leastFirst = 0;
        bits = 0;
      }
      if (lowByte !== null) lowByte.push(word & 0xff);
    }
    this.mostFirst = mostFirst;
    this.leastFirst = leastFirst;
    this.bits = bits;
  }
}
