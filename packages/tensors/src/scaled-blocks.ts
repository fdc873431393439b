/**
 * Per-block integer summaries of q8_0 blocks, the commonest GGUF type: { half d; i8 qs[32] }, each
 * value exactly d·q. A binary16 has 11 significant bits and |q| ≤ 128 has 8, so each product is
 * exact in float32 (what the dequantizer stores) and in float64 (what this computes): a block's sum
 * is d·Σq and its sum of squares d²·Σq², exact in float64 (|Σq| ≤ 2^12, Σq² ≤ 2^19); its extremes,
 * zeros and signs follow from the quants' and the sign of d.
 *
 * So the statistics read the integers, four at a time, instead of decoding every value to float32
 * and summing floats: q8_0 has a value per byte where float32 has one per four bytes, and float work
 * per value cost several times a hash of the same bytes. Only the windows the median sketch samples
 * are decoded. A block with a non-finite scale (its values NaN or ±Inf) makes `read` return false:
 * the caller then takes the window through the plain float path.
 */

import type { TensorDType } from "@modelaudit/core";
import { float16Table } from "./float-tables.js";

/** Every binary16 pattern's value: the float16 table's bits read as float32. */
let halfTable: Float32Array | null = null;

function float16Values(): Float32Array {
  halfTable ??= new Float32Array(float16Table().buffer);
  return halfTable;
}

/** q0² + q1² of the two int8 quants in a little-endian halfword (128 KiB, built on first use). */
let squareTable: Uint16Array | null = null;

function squares16(): Uint16Array {
  if (squareTable) return squareTable;
  const table = new Uint16Array(65536);
  for (let half = 0; half < 65536; half++) {
    const low = ((half & 0xff) << 24) >> 24;
    const high = ((half >>> 8) << 24) >> 24;
    table[half] = low * low + high * high;
  }
  squareTable = table;
  return table;
}

const BLOCK_BYTES = 34;
const QUANTS = 32;

/** q8_0 blocks: { half d; i8 qs[32] }, value q·d. */
export class ScaledBlocks {
  /** Values per block. */
  readonly blockElements = QUANTS;
  /** Blocks read by the last `read`. */
  count = 0;
  /** Per block: the scale d as a number. */
  readonly scales: Float64Array;
  /** Per block: Σq, Σq², and the counts of q = 0 and of q > 0. */
  readonly sums: Int32Array;
  readonly squares: Int32Array;
  readonly zeroQuants: Int32Array;
  readonly positiveQuants: Int32Array;
  /** Per block, with d applied: Σ values² (d²·Σq², exact), and the counts of values = 0 and > 0. */
  readonly valueSquares: Float64Array;
  readonly zeroValues: Int32Array;
  readonly positiveValues: Int32Array;
  /** Per block: `bound(block)`, kept by `read` (the row pass compares it with each block). */
  readonly bounds: Float64Array;
  /** Per block: 1 when a quant is -128 (ggml's quantizer writes -127 .. 127; a file may hold -128). */
  readonly hasMinus128: Uint8Array;
  /** Totals of the last window: Σ values, Σ values², values equal to zero, and the largest `bound`. */
  sum = 0;
  sumOfSquares = 0;
  zeroCount = 0;
  widest = 0;
  /** The least and greatest q of the block `scan` read last. */
  least = 0;
  greatest = 0;
  /** The last window's bytes (or their copy at an even offset). */
  private bytes: Uint8Array = new Uint8Array(0);
  private aligned: Uint8Array;

  private constructor(readonly maxBlocks: number) {
    this.scales = new Float64Array(maxBlocks);
    this.sums = new Int32Array(maxBlocks);
    this.squares = new Int32Array(maxBlocks);
    this.zeroQuants = new Int32Array(maxBlocks);
    this.positiveQuants = new Int32Array(maxBlocks);
    this.hasMinus128 = new Uint8Array(maxBlocks);
    this.valueSquares = new Float64Array(maxBlocks);
    this.bounds = new Float64Array(maxBlocks);
    this.zeroValues = new Int32Array(maxBlocks);
    this.positiveValues = new Int32Array(maxBlocks);
    this.aligned = new Uint8Array(maxBlocks * BLOCK_BYTES);
  }

  /** For a dtype whose values are exact d·q products (q8_0); null for the others. */
  static for(dtype: TensorDType, maxBlocks: number): ScaledBlocks | null {
    return dtype === "q8_0" ? new ScaledBlocks(maxBlocks) : null;
  }

  /**
   * Summarises the whole blocks of `window` (at most `maxBlocks`). False, with nothing summarised,
   * when a block's scale is NaN or ±Inf.
   */
  read(window: Uint8Array): boolean {
    const halfValues = float16Values();
    const count = Math.min(this.maxBlocks, Math.floor(window.length / BLOCK_BYTES));
    for (let block = 0, at = 0; block < count; block++, at += BLOCK_BYTES) {
      const d = halfValues[window[at]! | (window[at + 1]! << 8)]!;
      // d - d is 0 for finite d, NaN for NaN and ±Inf.
      if (d - d !== 0) return false;
      this.scales[block] = d;
    }
    this.count = count;
    // Quants are read as halfwords: block b's start at 34·b + 2, even when the window's offset is.
    let bytes = window;
    if (window.byteOffset % 2 !== 0) {
      this.aligned.set(window.subarray(0, count * BLOCK_BYTES));
      bytes = this.aligned;
    }
    this.bytes = bytes;
    this.integerSums(new Uint16Array(bytes.buffer, bytes.byteOffset, (count * BLOCK_BYTES) / 2));
    this.scale();
    return true;
  }

  /**
   * The integer sums of every block, four quants per step (SWAR on 32-bit words; a loop over single
   * bytes costs about what SHA-256 does over the same bytes): Σq from the biased bytes q + 128 in
   * two 16-bit lanes, the zero and positive counts from each byte's top bit, Σq² from a table of
   * halfwords. Where WebAssembly SIMD runs, TensorStatistics reads windows with the kernel of
   * q8-0-kernel.ts instead, which computes the same figures in one call.
   */
  private integerSums(halves: Uint16Array): void {
    const squareOf = squares16();
    for (let block = 0, at = 1; block < this.count; block++, at += BLOCK_BYTES / 2) {
      let squares = 0;
      let biased = 0;
      let zeros = 0;
      let positives = 0;
      let minus128 = 0;
      for (let index = at, end = at + QUANTS / 2; index < end; index += 2) {
        const low = halves[index]!;
        const high = halves[index + 1]!;
        squares += squareOf[low]! + squareOf[high]!;
        const word = low | (high << 16);
        const unsigned = word ^ 0x80808080;
        biased += (unsigned & 0x00ff00ff) + ((unsigned >>> 8) & 0x00ff00ff);
        // Top bit of each byte: set when the byte is not zero.
        const nonzero = ((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word;
        zeros += (~nonzero >>> 7) & 0x01010101;
        positives += ((nonzero & ~word) >>> 7) & 0x01010101;
        // The same test on the flipped bytes: top bit clear where the byte was 0x80.
        minus128 |= ~(((unsigned & 0x7f7f7f7f) + 0x7f7f7f7f) | unsigned);
      }
      this.sums[block] = (biased & 0xffff) + (biased >>> 16) - 128 * QUANTS;
      this.squares[block] = squares;
      // The four byte lanes' counts (each at most 8) added by one multiplication.
      this.zeroQuants[block] = Math.imul(zeros, 0x01010101) >>> 24;
      this.positiveQuants[block] = Math.imul(positives, 0x01010101) >>> 24;
      this.hasMinus128[block] = (minus128 & 0x80808080) === 0 ? 0 : 1;
    }
  }

  /** Each block's integer sums scaled by its d, and the window's totals. */
  private scale(): void {
    let windowSum = 0;
    let windowSquares = 0;
    let windowZeros = 0;
    let widest = 0;
    for (let block = 0; block < this.count; block++) {
      const d = this.scales[block]!;
      const valueSquares = d * d * this.squares[block]!;
      const zeroValues = this.zeros(block);
      this.valueSquares[block] = valueSquares;
      this.zeroValues[block] = zeroValues;
      this.positiveValues[block] = this.positives(block);
      windowSum += d * this.sums[block]!;
      windowSquares += valueSquares;
      windowZeros += zeroValues;
      const bound = this.bound(block);
      this.bounds[block] = bound;
      if (bound > widest) widest = bound;
    }
    this.sum = windowSum;
    this.sumOfSquares = windowSquares;
    this.zeroCount = windowZeros;
    this.widest = widest;
  }

  /** Quant j of a block. */
  quant(block: number, j: number): number {
    return quantAt(this.bytes, block, j);
  }

  /** The value of element j of a block, as the dequantizer stores it (exact: see above). */
  value(block: number, j: number): number {
    return this.quant(block, j) * this.scales[block]!;
  }

  /**
   * Bounds on a block's |values| and values: |q| ≤ 127 unless a quant is -128. Callers read a
   * block's extremes (`scan`) only when a bound beats what they hold: with ggml's quantizer
   * (d = max|x| / 127, so max|q| = 127) only when a block's |d| is larger than any before it in
   * the row or tensor, which is rare.
   */
  bound(block: number): number {
    return (127 + this.hasMinus128[block]!) * Math.abs(this.scales[block]!);
  }

  lowerBound(block: number): number {
    const d = this.scales[block]!;
    return d < 0 ? 127 * d : -(127 + this.hasMinus128[block]!) * d;
  }

  upperBound(block: number): number {
    const d = this.scales[block]!;
    return d < 0 ? -(127 + this.hasMinus128[block]!) * d : 127 * d;
  }

  /** Sets `least` and `greatest` to the block's least and greatest q. */
  scan(block: number): void {
    let least = 127;
    let greatest = -128;
    for (let j = 0; j < QUANTS; j++) {
      const q = this.quant(block, j);
      if (q < least) least = q;
      if (q > greatest) greatest = q;
    }
    this.least = least;
    this.greatest = greatest;
  }

  /** The first element of a block whose |q| is `magnitude`. */
  firstWithMagnitude(block: number, magnitude: number): number {
    return firstWithMagnitude(this.bytes, block, magnitude);
  }

  /** The least value of the block `scan` read (the first value when d = ±0: every value compares equal). */
  minimum(block: number): number {
    const d = this.scales[block]!;
    if (d > 0) return this.least * d;
    if (d < 0) return this.greatest * d;
    return this.quant(block, 0) * d;
  }

  /** The greatest value of the block `scan` read (the first value when d = ±0). */
  maximum(block: number): number {
    const d = this.scales[block]!;
    if (d > 0) return this.greatest * d;
    if (d < 0) return this.least * d;
    return this.quant(block, 0) * d;
  }

  /** The largest |q| of the block `scan` read. */
  largestMagnitude(): number {
    return Math.max(this.greatest, -this.least);
  }

  /** Values of a block that are exactly zero. */
  zeros(block: number): number {
    return this.scales[block] === 0 ? QUANTS : this.zeroQuants[block]!;
  }

  /** Values of a block greater than zero. */
  positives(block: number): number {
    const d = this.scales[block]!;
    if (d > 0) return this.positiveQuants[block]!;
    if (d < 0) return QUANTS - this.positiveQuants[block]! - this.zeroQuants[block]!;
    return 0;
  }
}

/** Quant j of block `block` of q8_0 bytes. */
export function quantAt(bytes: Uint8Array, block: number, j: number): number {
  return (bytes[block * BLOCK_BYTES + 2 + j]! << 24) >> 24;
}

/** The scale d of block `block` of q8_0 bytes, as a number. */
export function scaleAt(bytes: Uint8Array, block: number): number {
  const at = block * BLOCK_BYTES;
  return float16Values()[bytes[at]! | (bytes[at + 1]! << 8)]!;
}

/** The first element of a block whose |q| is `magnitude` (0 when none is). */
export function firstWithMagnitude(bytes: Uint8Array, block: number, magnitude: number): number {
  for (let j = 0; j < QUANTS; j++) if (Math.abs(quantAt(bytes, block, j)) === magnitude) return j;
  return 0;
}
