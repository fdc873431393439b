/**
 * Per-row figures of a tensor's slices along its first dimension (rows of a 2-D weight [out, in],
 * output channels of a 4-D convolution [out, in, kh, kw], likewise for any rank ≥ 2), in one pass:
 * the L2 norm, the largest |value| and where it sits, the counts of positive and zero values, and a
 * few coordinates sampled at fixed positions (a signature for near-duplicate rows). Shapes are read
 * row-major (the last dimension varies fastest), as NumPy, PyTorch, safetensors and ONNX store them.
 *
 * A row holding NaN or ±Inf has a NaN or Inf norm; a NaN is never a row's maximum, an infinity is.
 * Float32 windows go through the SIMD kernel (float32-kernel.ts), whole rows up to KERNEL_MAX_ROWS to
 * a call and the parts of rows a window splits one call each; other
 * windows through `summarize`, whose loop is branch-free on the sign of each value (with random
 * signs a branch there is mispredicted half the time and costs more than all the arithmetic).
 */

import type { FloatWindow } from "./decode.js";
import { Float32Kernel, KERNEL_MAX_ROWS, KERNEL_MAX_VALUES } from "./float32-kernel.js";
import type { Q8_0Window } from "./q8-0-kernel.js";
import { firstWithMagnitude, quantAt, type ScaledBlocks, scaleAt } from "./scaled-blocks.js";
import { emptySegment, summarize } from "./segment-summary.js";

export const DEFAULT_MAX_ROWS = 65536;
/** Coordinates sampled per row, at evenly spread positions. */
export const ROW_SAMPLES = 8;
/** Parts of rows shorter than this are summed by the JavaScript loop: a kernel call would cost more. */
const KERNEL_MIN_ROW = 16;
/** Values in a q8_0 block. */
const Q8_0_ELEMENTS = 32;

export class RowSummary {
  /** Rows the tensor has (its first dimension). */
  readonly rows: number;
  /** Elements per row (the product of the other dimensions). */
  readonly rowLength: number;
  private readonly squares: Float64Array;
  private readonly maxima: Float64Array;
  private readonly where: Float64Array;
  /** Per kept row, how many values are > 0 and how many are exactly 0. */
  readonly positives: Float64Array;
  readonly zeros: Float64Array;
  /** Row r's sampled coordinates at r · ROW_SAMPLES ..; positions from `samplePositions`. */
  readonly samples: Float64Array;
  readonly samplePositions: readonly number[];
  private row = 0;
  private position = 0;
  /** The JavaScript loop's result, reused for every segment. */
  private readonly segment = emptySegment();
  /**
   * Totals of the values the last `add` covered, for the tensor's moments (one pass over the
   * window serves both): the plain sum and sum of squares, the least and greatest value and the zeros.
   */
  readonly covered = { sum: 0, squares: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, zeros: 0 };

  /** Null when the shape has no rows: rank below 2, or an empty dimension. */
  static for(shape: readonly number[], maxRows = DEFAULT_MAX_ROWS): RowSummary | null {
    if (shape.length < 2) return null;
    const rows = shape[0]!;
    const rowLength = shape.slice(1).reduce((product, dimension) => product * dimension, 1);
    if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(rowLength) || rows <= 0 || rowLength <= 0) return null;
    return new RowSummary(rows, rowLength, maxRows);
  }

  private constructor(rows: number, rowLength: number, maxRows: number) {
    this.rows = rows;
    this.rowLength = rowLength;
    const kept = Math.min(rows, Math.max(0, maxRows));
    this.squares = new Float64Array(kept);
    this.maxima = new Float64Array(kept);
    this.where = new Float64Array(kept);
    this.positives = new Float64Array(kept);
    this.zeros = new Float64Array(kept);
    this.samples = new Float64Array(kept * ROW_SAMPLES);
    this.samplePositions = Array.from({ length: ROW_SAMPLES }, (_, index) =>
      Math.floor(((index + 0.5) * rowLength) / ROW_SAMPLES),
    );
  }

  /** True when the tensor has more rows than are kept: figures cover the first `kept` rows only. */
  get truncated(): boolean {
    return this.rows > this.squares.length;
  }

  get kept(): number {
    return this.squares.length;
  }

  /**
   * The next values of the tensor, in order. Returns how many of them it took: all, unless the kept
   * rows end inside this window. Their totals are in `covered` (a NaN or infinity makes the sums
   * non-finite: the caller reads that window again carefully).
   */
  add(values: FloatWindow): number {
    const kept = this.squares.length;
    const rowLength = this.rowLength;
    const kernel = values instanceof Float32Array && values.length <= KERNEL_MAX_VALUES ? Float32Kernel.get() : null;
    kernel?.load(values as Float32Array);
    // Parts of rows (where a window starts or ends inside one) take a call each: short ones the loop.
    const partKernel = rowLength >= KERNEL_MIN_ROW ? kernel : null;
    let row = this.row;
    let position = this.position;
    let index = 0;
    const covered = this.covered;
    covered.sum = 0;
    covered.squares = 0;
    covered.min = Number.POSITIVE_INFINITY;
    covered.max = Number.NEGATIVE_INFINITY;
    covered.zeros = 0;
    while (index < values.length && row < kept) {
      if (kernel && position === 0 && values.length - index >= rowLength) {
        // Whole rows: one kernel call for many (a call per row cost more than short rows' values).
        const count = Math.min(kept - row, KERNEL_MAX_ROWS, Math.floor((values.length - index) / rowLength));
        const { doubles, floats, integers } = kernel.rows(index, rowLength, count);
        for (let at = 0; at < count; at++, row++, index += rowLength) {
          this.record(
            row,
            0,
            doubles[5 * at]!,
            doubles[5 * at + 1]!,
            floats[10 * at + 4]!,
            floats[10 * at + 5]!,
            floats[10 * at + 6]!,
            integers[10 * at + 7]!,
            integers[10 * at + 8]!,
            integers[10 * at + 9]!,
          );
          for (let sample = 0; sample < ROW_SAMPLES; sample++)
            this.samples[row * ROW_SAMPLES + sample] = values[index + this.samplePositions[sample]!]!;
        }
        continue;
      }
      const end = Math.min(values.length, index + rowLength - position);
      const segment = partKernel
        ? partKernel.summarize(index, end - index)
        : summarize(values, index, end, this.segment);
      this.record(
        row,
        position,
        segment.sum,
        segment.squares,
        segment.min,
        segment.max,
        segment.largest,
        segment.largestAt,
        segment.zeros,
        segment.positives,
      );
      const last = position + (end - index);
      const from = index;
      this.takeSamples(row, position, last, (offset) => values[from + offset]!);
      position = last;
      index = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
    return index;
  }

  /**
   * One row part's figures (a part from `position` in row `row`, or a whole row from 0) into the
   * row's and into `covered`, in the order the window's parts come.
   */
  private record(
    row: number,
    position: number,
    sum: number,
    squares: number,
    min: number,
    max: number,
    largest: number,
    largestAt: number,
    zeros: number,
    positives: number,
  ): void {
    this.squares[row]! += squares;
    this.positives[row]! += positives;
    this.zeros[row]! += zeros;
    const covered = this.covered;
    covered.sum += sum;
    covered.squares += squares;
    covered.zeros += zeros;
    if (min < covered.min) covered.min = min;
    if (max > covered.max) covered.max = max;
    // Strictly larger: the first place the row reaches its largest |value| is where it is.
    if (largest > this.maxima[row]!) {
      this.maxima[row] = largest;
      this.where[row] = position + largestAt;
    }
  }

  /**
   * `add` for a window of scaled integer blocks (see scaled-blocks.ts), from their per-block sums:
   * the same figures, exact where `add`'s are (norms up to the order of float64 sums). Rows must
   * hold whole blocks (`rowLength` a multiple of the block's elements). Returns the blocks taken;
   * `covered` is not filled (the caller sums the blocks itself).
   */
  addBlocks(blocks: ScaledBlocks): number {
    const kept = this.squares.length;
    const rowLength = this.rowLength;
    const perBlock = blocks.blockElements;
    const scales = blocks.scales;
    const valueSquares = blocks.valueSquares;
    const positiveValues = blocks.positiveValues;
    const zeroValues = blocks.zeroValues;
    const bounds = blocks.bounds;
    let row = this.row;
    let position = this.position;
    let block = 0;
    while (block < blocks.count && row < kept) {
      const end = Math.min(blocks.count, block + (rowLength - position) / perBlock);
      let squares = 0;
      let positives = 0;
      let zeros = 0;
      let best = this.maxima[row]!;
      let bestBlock = -1;
      let bestQuant = 0;
      for (let at = block; at < end; at++) {
        squares += valueSquares[at]!;
        positives += positiveValues[at]!;
        zeros += zeroValues[at]!;
        // The block's exact largest |value| only when its bound could beat the row's so far.
        if (bounds[at]! > best) {
          blocks.scan(at);
          const magnitude = Math.abs(scales[at]!) * blocks.largestMagnitude();
          if (magnitude > best) {
            best = magnitude;
            bestBlock = at;
            bestQuant = blocks.largestMagnitude();
          }
        }
      }
      this.squares[row]! += squares;
      this.positives[row]! += positives;
      this.zeros[row]! += zeros;
      if (bestBlock >= 0) {
        const inBlock = blocks.firstWithMagnitude(bestBlock, bestQuant);
        this.maxima[row] = best;
        this.where[row] = position + (bestBlock - block) * perBlock + inBlock;
      }
      const last = position + (end - block) * perBlock;
      const first = block;
      this.takeSamples(row, position, last, (offset) =>
        blocks.value(first + Math.floor(offset / perBlock), offset % perBlock),
      );
      position = last;
      block = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
    return block;
  }

  /**
   * `addBlocks` from the row parts the q8_0 kernel summarised (q8-0-kernel.ts): the same figures.
   * `window` holds the blocks' bytes, for the sampled coordinates and where a row's largest |value|
   * sits. Rows must hold whole blocks.
   */
  addSegments(result: Q8_0Window, window: Uint8Array): void {
    const kept = this.squares.length;
    const rowLength = this.rowLength;
    let row = this.row;
    let position = this.position;
    let block = 0;
    for (let segment = 0; segment < result.segments && row < kept; segment++) {
      const end = Math.min(result.count, block + (rowLength - position) / Q8_0_ELEMENTS);
      this.squares[row]! += result.segmentSquares[segment]!;
      this.positives[row]! += result.segmentPositives[segment]!;
      this.zeros[row]! += result.segmentZeros[segment]!;
      const largest = result.segmentLargest[segment]!;
      if (largest > this.maxima[row]!) {
        const best = result.segmentBest[segment]!;
        this.maxima[row] = largest;
        this.where[row] =
          position +
          (best - block) * Q8_0_ELEMENTS +
          firstWithMagnitude(window, best, result.segmentBestQuant[segment]!);
      }
      const last = position + (end - block) * Q8_0_ELEMENTS;
      const first = block;
      this.takeSamples(row, position, last, (offset) => {
        const at = first + Math.floor(offset / Q8_0_ELEMENTS);
        return quantAt(window, at, offset % Q8_0_ELEMENTS) * scaleAt(window, at);
      });
      position = last;
      block = end;
      if (position === rowLength) {
        row++;
        position = 0;
      }
    }
    this.row = row;
    this.position = position;
  }

  /** Keeps the sampled coordinates of `row` in [position, last); `valueAt(k)` is the value k past `position`. */
  private takeSamples(row: number, position: number, last: number, valueAt: (offset: number) => number): void {
    for (let sample = 0; sample < ROW_SAMPLES; sample++) {
      const wanted = this.samplePositions[sample]!;
      if (wanted >= position && wanted < last) this.samples[row * ROW_SAMPLES + sample] = valueAt(wanted - position);
    }
  }

  /** Elements left in the row in progress (a whole row between rows). */
  get remainingInRow(): number {
    return this.rowLength - this.position;
  }

  /** The L2 norms of the kept rows (rows not reached because the data ended stay 0). */
  norms(): Float64Array {
    return this.squares.map(Math.sqrt);
  }

  /** Max |value| of each kept row (0 for rows not reached or all zero). */
  maximumValues(): Float64Array {
    return this.maxima;
  }

  /** Index inside its row of each row's max |value| (0 when the row is all zero). */
  maximumPositions(): Float64Array {
    return this.where;
  }
}
