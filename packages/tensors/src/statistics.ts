/**
 * One-pass statistics of a tensor, computed once per tensor however many detectors read them
 * (`statisticsOf`). Everything runs a window of about 16 Ki values at a time so each pass over a
 * window stays in cache, with the running state in locals.
 *
 * - Moments over the finite values, in float64: each window's sums of deviations from the running
 *   mean, merged by Chan et al.'s pairwise update, so a large mean never cancels the variance away
 *   (the rounding error is that of summing one window, about 2^-53 · window size, relative).
 * - Median and MAD from `MedianSketch` (exact for small tensors, error bounds documented there), over
 *   every value or, with `robustEvery`, a sample of windows (what `standard` asks for).
 * - Per-row norms, maxima, sign and zero counts and samples for rank ≥ 2 (`RowSummary`), bounded to `maxRows`.
 * - For integer, boolean and 8-bit types, the low byte of each element's raw little-endian word as a
 *   256-bin histogram (an integer's low byte, a float8's or int8's whole byte: how a quantized
 *   layer uses its range); the least significant bit's counts follow from it. Wider floats' low bits
 *   are the steganography detector's to read; counting them here cost a pass nobody used.
 */

import { dtypeInfo, type TensorConsumer, type TensorDType, type TensorStream } from "@modelaudit/core";
import { type FloatDecoder, type FloatWindow, floatDecoder } from "./decode.js";
import { Float32Kernel, KERNEL_MAX_VALUES } from "./float32-kernel.js";
import { FlushedCounts } from "./flushed-counts.js";
import { lowWordBytes } from "./low-bits.js";
import { countBuckets, DEFAULT_EXACT_VALUES, MedianSketch, type RobustCenter } from "./median-sketch.js";
import { Q8_0_KERNEL_MAX_BLOCKS, Q8_0_KERNEL_MAX_ROW_BLOCKS, Q8_0Kernel } from "./q8-0-kernel.js";
import { DEFAULT_MAX_ROWS, RowSummary } from "./row-summary.js";
import { ScaledBlocks } from "./scaled-blocks.js";

/** Plain sums, extremes and zeros of a window, as the row pass and the float32 kernel give them. */
interface WindowSums {
  sum: number;
  squares: number;
  min: number;
  max: number;
  zeros: number;
}

/** The key every detector passes to `TensorStream.shared` for this consumer. */
export const STATISTICS_KEY = "tensors/statistics";

/** Values decoded per window. */
const WINDOW_VALUES = 16384;

/** Windows the median sketch always reads before sampling starts (with `robustEvery` > 1). */
const ROBUST_HEAD_WINDOWS = 2;

export interface StatisticsOptions {
  /** Rows whose norms are kept (default 65536). */
  maxRows?: number;
  /** Values kept exactly for the median and MAD before the histogram takes over (default 4096). */
  exactValues?: number;
  /**
   * The median sketch reads the first few windows and then one window in this many (default 1:
   * every value). Counts, moments, extremes and row figures always read every value.
   */
  robustEvery?: number;
}

/**
 * The options every detector passes at a level, so the one shared instance suits them all: at
 * `standard` the median and MAD come from a sample (one 16 Ki-value window in 16 after the first
 * two), the costliest per-value work left; `thorough` reads every value into them.
 */
export function statisticsOptionsFor(level: string): StatisticsOptions {
  return level === "thorough" ? {} : { robustEvery: 16 };
}

/** A JSON-safe summary (non-finite numbers as null). */
export interface StatisticsSummary {
  dtype: TensorDType;
  decodable: boolean;
  /** null until `end`; false when the data stopped early. */
  complete: boolean | null;
  elements: number;
  finite: number;
  nan: number;
  positiveInfinity: number;
  negativeInfinity: number;
  zeros: number;
  mean: number | null;
  variance: number | null;
  min: number | null;
  max: number | null;
  median: number | null;
  mad: number | null;
  robustExact: boolean;
  rows: { rows: number; rowLength: number; kept: number; truncated: boolean } | null;
  lowByte: number[] | null;
  lsb: { zeros: number; ones: number } | null;
}

export class TensorStatistics implements TensorConsumer {
  readonly info;
  /** False for dtypes without numbers to decode (complex, the iq, tq and mxfp4 blocks, opaque): only counts and low bytes. */
  readonly decodable: boolean;
  /** Elements received (whole blocks' elements for block types). */
  elements = 0;
  /** Finite values; every moment, extreme and robust statistic is over these. */
  finite = 0;
  nan = 0;
  positiveInfinity = 0;
  negativeInfinity = 0;
  zeros = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Running mean and sum of squared deviations from it, of the finite values. */
  private runningMean = 0;
  private squares = 0;
  /** Low-byte counts; null for block-quantized and opaque types. */
  private readonly lowCounts: FlushedCounts | null;
  /** Per-row figures of the slices along the first dimension; null below rank 2. */
  readonly rows: RowSummary | null;
  /** null until `end`; false when the data stopped early. */
  complete: boolean | null = null;
  private robust: RobustCenter | null = null;
  private readonly decoder: FloatDecoder | null;
  /** Per-block integer sums for q8_0 when rows hold whole blocks (see scaled-blocks.ts); null otherwise. */
  private readonly scaled: ScaledBlocks | null;
  /** The q8_0 kernel, which reads `scaled`'s windows in one call where WebAssembly SIMD runs. */
  private readonly q8Kernel: Q8_0Kernel | null;
  private readonly sketch: MedianSketch;
  private readonly wordBytes: number | null;
  private readonly windowBytes: number;
  private readonly robustEvery: number;
  private windows = 0;
  /** The range of the q8_0 scales of the chunk being read, and that chunk once all of it was read by the kernel (see `blockScalesOf`). */
  private readonly chunkScales = { least: 0, greatest: 0 };
  private scalesChunk: Uint8Array | null = null;

  constructor(
    readonly dtype: TensorDType,
    readonly shape: readonly number[],
    options: StatisticsOptions = {},
  ) {
    this.info = dtypeInfo(dtype);
    this.decoder = floatDecoder(dtype);
    this.decodable = this.decoder !== null;
    const words = lowWordBytes(dtype);
    const wholeOrInteger = this.info.class === "integer" || this.info.class === "bool" || words === 1;
    this.wordBytes = wholeOrInteger ? words : null;
    this.lowCounts = this.wordBytes === null ? null : new FlushedCounts(256);
    this.rows = this.decodable ? RowSummary.for(shape, options.maxRows ?? DEFAULT_MAX_ROWS) : null;
    const blocks = Math.max(1, Math.floor(WINDOW_VALUES / this.info.blockElements));
    this.windowBytes = blocks * this.info.blockBytes;
    this.robustEvery = Math.max(1, Math.floor(options.robustEvery ?? 1));
    const wholeRows = this.rows === null || this.rows.rowLength % this.info.blockElements === 0;
    this.scaled = wholeRows ? ScaledBlocks.for(dtype, blocks) : null;
    // The kernel counts a row's blocks in 32-bit integers: longer rows (a shape no file can fill)
    // take the JavaScript path.
    const rowBlocks = this.rows === null ? 0 : this.rows.rowLength / this.info.blockElements;
    this.q8Kernel =
      this.scaled !== null && blocks <= Q8_0_KERNEL_MAX_BLOCKS && rowBlocks <= Q8_0_KERNEL_MAX_ROW_BLOCKS
        ? Q8_0Kernel.get()
        : null;
    // With the q8_0 kernel, the sketch's buckets live in its memory: it counts the windows the
    // sketch reads straight into them. Float32 windows likewise in the float32 kernel's memory,
    // counted from where the row pass loaded them.
    const float32Counters = this.decoder?.output === "f32" ? Float32Kernel.get()?.counters : undefined;
    this.sketch = new MedianSketch(
      options.exactValues ?? DEFAULT_EXACT_VALUES,
      this.q8Kernel?.counters ?? float32Counters,
    );
  }

  data(chunk: Uint8Array, _offset: number): void {
    const whole = chunk.length - (chunk.length % this.info.blockBytes);
    this.elements += (whole / this.info.blockBytes) * this.info.blockElements;
    const decoder = this.decoder;
    if (this.lowCounts !== null) this.countLowBytes(chunk.subarray(0, whole));
    if (decoder === null) return;
    this.scalesChunk = null;
    this.chunkScales.least = Number.POSITIVE_INFINITY;
    this.chunkScales.greatest = Number.NEGATIVE_INFINITY;
    let scalesKnown = this.q8Kernel !== null && whole === chunk.length;
    for (let start = 0; start < whole; start += this.windowBytes) {
      const window = chunk.subarray(start, Math.min(whole, start + this.windowBytes));
      const robust = this.sketchReads();
      if (this.addScaledWindow(window, robust)) continue;
      scalesKnown = false;
      this.addWindow(decoder.decode(window), robust);
    }
    if (scalesKnown) this.scalesChunk = chunk;
  }

  /**
   * The least and greatest scale d of every block of `chunk`, when this consumer has just read
   * that very chunk with the q8_0 kernel (which decodes each d anyway), else null. A detector that
   * checks every block's scale (the engine feeds shared consumers first) skips a chunk whose range
   * is within its bounds, instead of reading each block's d again.
   */
  blockScalesOf(chunk: Uint8Array): { readonly least: number; readonly greatest: number } | null {
    return chunk === this.scalesChunk ? this.chunkScales : null;
  }

  /**
   * A window of q8_0 blocks from their integer sums: by the kernel where it runs, else by
   * ScaledBlocks (the same figures). False when the window must be decoded instead (another dtype,
   * rows not made of whole blocks, or a non-finite scale).
   */
  private addScaledWindow(window: Uint8Array, robust: boolean): boolean {
    const blocks = this.scaled;
    if (blocks === null) return false;
    const kernel = this.q8Kernel;
    if (kernel === null) {
      if (!blocks.read(window)) return false;
      this.addScaled(window, robust);
      return true;
    }
    const rows = this.rows;
    const rowBlocks = rows ? rows.rowLength / blocks.blockElements : 0;
    const result = kernel.window(window, rowBlocks, rows ? rows.remainingInRow / blocks.blockElements : 0);
    if (result === null) return false;
    const scales = this.chunkScales;
    if (result.scaleLeast < scales.least) scales.least = result.scaleLeast;
    if (result.scaleGreatest > scales.greatest) scales.greatest = result.scaleGreatest;
    rows?.addSegments(result, window);
    // Strict comparisons, not Math.min/max: of -0 and 0 the earlier is kept, as addScaled does.
    let min = this.min;
    let max = this.max;
    if (result.min < min) min = result.min;
    if (result.max > max) max = result.max;
    this.addBlockTotals(window, robust, result.count, result.sum, result.squares, min, max, result.zeros);
    return true;
  }

  /** One window of decoded values: rows, moments, and the median sketch when it reads this window. */
  private addWindow(values: FloatWindow, robust: boolean): void {
    // Rows and moments in one pass where the tensor has rows; the rest (rows past `maxRows`, or
    // no rows) by the moments loop, fused with the sketch's histogram for float32.
    const kernel = values instanceof Float32Array ? Float32Kernel.get() : null;
    const loadsBefore = kernel?.loads ?? 0;
    const taken = this.rows === null ? 0 : this.rows.add(values);
    if (taken > 0) this.addCovered(taken === values.length ? values : values.subarray(0, taken), this.rows!.covered);
    let sketched = false;
    if (taken < values.length) {
      const rest = taken === 0 ? values : values.subarray(taken);
      // A large tensor's first window already goes to the histogram (and the fast loop).
      const buckets = robust && taken === 0 ? this.sketch.bucketsFor(rest.length) : null;
      if (kernel !== null && rest.length <= KERNEL_MAX_VALUES) {
        // Float32 values outside rows (vectors, rows past maxRows): the row kernel's sums, as one
        // segment; when the sketch reads this window, it is counted from the kernel's memory (or,
        // into counters of another's, by the loop while it is still in the cache).
        const floats = rest as Float32Array;
        kernel.load(floats);
        this.addCovered(floats, kernel.summarize(0, floats.length));
        if (buckets !== null) {
          if (!kernel.histogram(floats, buckets)) {
            countBuckets(new Uint32Array(floats.buffer, floats.byteOffset, floats.length), buckets);
          }
          this.sketch.counted(floats.length);
          sketched = true;
        }
      } else if (buckets !== null && rest instanceof Float32Array) {
        this.addFloat32(rest, buckets);
        this.sketch.counted(rest.length);
        sketched = true;
      } else {
        this.addValues(rest);
      }
    }
    if (robust && !sketched) {
      // The row pass loaded this very window into the kernel: it counts it there.
      const counters = kernel !== null && kernel.loads > loadsBefore ? this.sketch.bucketsFor(values.length) : null;
      if (counters !== null && kernel!.histogram(values as Float32Array, counters)) this.sketch.counted(values.length);
      else this.sketch.add(values);
    }
  }

  /**
   * One window of scaled integer blocks, summarised by `scaled.read` (where the kernel does not
   * run): rows and the window's extremes from the per-block sums, then its totals.
   */
  private addScaled(window: Uint8Array, robust: boolean): void {
    const blocks = this.scaled!;
    const count = blocks.count;
    this.rows?.addBlocks(blocks);
    let min = this.min;
    let max = this.max;
    // Blocks' exact extremes only where a bound reaches past the tensor's so far: after the first
    // windows, only a window holding a larger scale than any before is walked.
    if (-blocks.widest < min || blocks.widest > max) {
      for (let block = 0; block < count; block++) {
        if (blocks.lowerBound(block) < min || blocks.upperBound(block) > max) {
          blocks.scan(block);
          const least = blocks.minimum(block);
          const greatest = blocks.maximum(block);
          if (least < min) min = least;
          if (greatest > max) max = greatest;
        }
      }
    }
    this.addBlockTotals(window, robust, count, blocks.sum, blocks.sumOfSquares, min, max, blocks.zeroCount);
  }

  /**
   * A q8_0 window's totals into the moments (min and max already merged with the tensor's); the
   * values are decoded only when the median sketch reads this window, or when the plain sums would
   * cancel (as in addCovered).
   */
  private addBlockTotals(
    window: Uint8Array,
    robust: boolean,
    count: number,
    sum: number,
    squares: number,
    min: number,
    max: number,
    zeros: number,
  ): void {
    const elements = count * this.info.blockElements;
    const shift = this.finite > 0 ? this.runningMean : sum / elements;
    const deviations = sum - elements * shift;
    const deviationSquares = squares - 2 * shift * sum + elements * shift * shift;
    const cancels = deviationSquares < squares * 1e-6;
    // Where the kernel runs it read this window last: it counts the values into the sketch's
    // buckets itself when those are its own, else decodes them to the decoder's float32s.
    const kernel = this.q8Kernel;
    let counted = false;
    if (robust && !cancels && kernel !== null) {
      const counters = this.sketch.bucketsFor(elements);
      if (counters !== null && kernel.ownsCounters(counters)) {
        kernel.histogram(counters);
        this.sketch.counted(elements);
        counted = true;
      }
    }
    const decode = (robust && !counted) || cancels;
    const decoded = decode ? (kernel?.dequantize() ?? this.decoder!.decode(window)) : null;
    if (decoded !== null && cancels) {
      this.addValues(decoded);
    } else {
      this.min = min;
      this.max = max;
      this.zeros += zeros;
      this.merge(elements, shift, deviations, deviationSquares);
    }
    if (decoded !== null) this.sketch.add(decoded);
  }

  /** Whether the median sketch reads the next window (every one, or a sample: see `robustEvery`). */
  private sketchReads(): boolean {
    const index = this.windows++;
    return this.robustEvery === 1 || index < ROBUST_HEAD_WINDOWS || index % this.robustEvery === 0;
  }

  /**
   * Merges the moments of values the row pass (or the float32 kernel) covered: its plain sums become sums of deviations
   * from the shift (Σ(v − c) = S − n·c, Σ(v − c)² = Q − 2c·S + n·c²); the shift is the running mean,
   * so for weights (mean near zero, or near the shift) nothing large cancels.
   */
  private addCovered(values: FloatWindow, covered: WindowSums): void {
    const count = values.length;
    const shift =
      this.finite > 0 ? this.runningMean : Number.isFinite(covered.sum) ? covered.sum / count : finiteMean(values);
    const sum = covered.sum - count * shift;
    const squares = covered.squares - 2 * shift * covered.sum + count * shift * shift;
    // Values far from zero next to their spread (1e9 ± 1) cancel in the plain sums: such a window
    // is read once more, with the deviations summed directly.
    if (squares < covered.squares * 1e-6 && Number.isFinite(covered.squares)) {
      this.addValues(values);
      return;
    }
    const min = covered.min < this.min ? covered.min : this.min;
    const max = covered.max > this.max ? covered.max : this.max;
    this.settle(values, shift, sum, squares, min, max, covered.zeros);
  }

  /** Histogram of each word's low byte; null for block-quantized and opaque types. */
  get lowByte(): Float64Array | null {
    const totals = this.lowCounts?.totals();
    return totals ? Float64Array.from(totals) : null;
  }

  end(complete: boolean): void {
    if (this.complete !== null) return;
    this.complete = complete;
    // Every finite value added lies in [min, max] (both infinite when there is none).
    this.robust = this.sketch.result(this.min, this.max);
  }

  get mean(): number {
    return this.finite > 0 ? this.runningMean : Number.NaN;
  }

  /** Population variance (NumPy's `var`, ddof 0). */
  get variance(): number {
    return this.finite > 0 ? this.squares / this.finite : Number.NaN;
  }

  get standardDeviation(): number {
    return Math.sqrt(this.variance);
  }

  get nonFinite(): number {
    return this.nan + this.positiveInfinity + this.negativeInfinity;
  }

  /** Median of the finite values (exact or within the sketch's bound: see median-sketch.ts); NaN before `end`. */
  get median(): number {
    return this.robust?.median ?? Number.NaN;
  }

  /** Median absolute deviation from the median, unscaled; NaN before `end`. */
  get mad(): number {
    return this.robust?.mad ?? Number.NaN;
  }

  /** Whether median and MAD are exact (few values) or sketched. */
  get robustExact(): boolean {
    return this.robust?.exact ?? false;
  }

  /** Counts of each word's least significant bit. */
  get lsb(): { zeros: number; ones: number } | null {
    const histogram = this.lowByte;
    if (histogram === null) return null;
    let ones = 0;
    let total = 0;
    for (let byte = 0; byte < 256; byte++) {
      total += histogram[byte]!;
      if (byte & 1) ones += histogram[byte]!;
    }
    return { zeros: total - ones, ones };
  }

  summary(): StatisticsSummary {
    const number = (value: number) => (Number.isFinite(value) ? value : null);
    const rows = this.rows;
    return {
      dtype: this.dtype,
      decodable: this.decodable,
      complete: this.complete,
      elements: this.elements,
      finite: this.finite,
      nan: this.nan,
      positiveInfinity: this.positiveInfinity,
      negativeInfinity: this.negativeInfinity,
      zeros: this.zeros,
      mean: number(this.mean),
      variance: number(this.variance),
      min: number(this.min),
      max: number(this.max),
      median: number(this.median),
      mad: number(this.mad),
      robustExact: this.robustExact,
      rows: rows && { rows: rows.rows, rowLength: rows.rowLength, kept: rows.kept, truncated: rows.truncated },
      lowByte: this.lowByte && Array.from(this.lowByte),
      lsb: this.lsb,
    };
  }

  /**
   * Counts, min/max and moments of one window, in one pass: sums of deviations from a shift (the
   * running mean; for the first window its own mean, by one more pass) and of their squares give the
   * window's mean and squared deviations; with the shift near the mean nothing cancels.
   * The fast loop assumes every value is finite (a NaN or infinity makes the sum non-finite, and
   * the window is then read again by the careful loop).
   */
  private addValues(values: FloatWindow): void {
    const length = values.length;
    if (length === 0) return;
    const shift = this.finite > 0 ? this.runningMean : finiteMean(values);
    let sum = 0;
    let squares = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    for (let index = 0; index < length; index++) {
      const value = values[index]!;
      const deviation = value - shift;
      sum += deviation;
      squares += deviation * deviation;
      // Comparisons, not Math.min/max: a NaN never wins, and the loop runs twice as fast.
      if (value < min) min = value;
      if (value > max) max = value;
      if (value === 0) zeros++;
    }
    this.settle(values, shift, sum, squares, min, max, zeros);
  }

  /**
   * addValues, the median sketch's bucket counts and (for float32 data) the low-byte histogram of a
   * float32 window in one pass, two values per step (the common case: every pass over the weights
   * costs, and two independent chains of sums run faster than one).
   */
  private addFloat32(values: Float32Array, buckets: Uint32Array): void {
    const length = values.length;
    if (length === 0) return;
    const bits = new Uint32Array(values.buffer, values.byteOffset, length);
    const shift = this.finite > 0 ? this.runningMean : finiteMean(values);
    let sumA = 0;
    let sumB = 0;
    let squaresA = 0;
    let squaresB = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    const pairs = length & ~1;
    // Non-finite values land in the exponent-255 buckets, which the sketch's result skips.
    for (let index = 0; index < pairs; index += 2) {
      const first = values[index]!;
      const second = values[index + 1]!;
      const deviationA = first - shift;
      const deviationB = second - shift;
      sumA += deviationA;
      sumB += deviationB;
      squaresA += deviationA * deviationA;
      squaresB += deviationB * deviationB;
      if (first < min) min = first;
      if (second < min) min = second;
      if (first > max) max = first;
      if (second > max) max = second;
      if (first === 0) zeros++;
      if (second === 0) zeros++;
      buckets[bits[index]! >>> 16]!++;
      buckets[bits[index + 1]! >>> 16]!++;
    }
    if (pairs < length) {
      const last = values[pairs]!;
      const deviation = last - shift;
      sumA += deviation;
      squaresA += deviation * deviation;
      if (last < min) min = last;
      if (last > max) max = last;
      if (last === 0) zeros++;
      buckets[bits[pairs]! >>> 16]!++;
    }
    this.settle(values, shift, sumA + sumB, squaresA + squaresB, min, max, zeros);
  }

  /** Merges one window's fast-loop results, or reads the window again carefully when it held a non-finite value. */
  private settle(
    values: FloatWindow,
    shift: number,
    sum: number,
    squares: number,
    min: number,
    max: number,
    zeros: number,
  ) {
    if (Number.isFinite(sum) && Number.isFinite(squares)) {
      this.min = min;
      this.max = max;
      this.zeros += zeros;
      this.merge(values.length, shift, sum, squares);
    } else {
      this.addCarefully(values, shift);
    }
  }

  /** addValues for a window with non-finite values (or sums too large for the fast loop). */
  private addCarefully(values: FloatWindow, shift: number): void {
    let finite = 0;
    let sum = 0;
    let squares = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    let nonFinite = 0;
    for (let index = 0; index < values.length; index++) {
      const value = values[index]!;
      // x - x is 0 for finite x, NaN for NaN and ±Inf.
      if (value - value === 0) {
        finite++;
        const deviation = value - shift;
        sum += deviation;
        squares += deviation * deviation;
        if (value < min) min = value;
        if (value > max) max = value;
        if (value === 0) zeros++;
      } else {
        nonFinite++;
      }
    }
    if (nonFinite > 0) this.countNonFinite(values);
    this.min = min;
    this.max = max;
    this.zeros += zeros;
    if (finite > 0) this.merge(finite, shift, sum, squares);
  }

  private countNonFinite(values: FloatWindow): void {
    for (let index = 0; index < values.length; index++) {
      const value = values[index]!;
      if (value === Number.POSITIVE_INFINITY) this.positiveInfinity++;
      else if (value === Number.NEGATIVE_INFINITY) this.negativeInfinity++;
      else if (Number.isNaN(value)) this.nan++;
    }
  }

  /** Chan et al.: merges a window's count, mean and squared deviations into the running totals. */
  private merge(count: number, shift: number, sum: number, squares: number): void {
    const windowMean = shift + sum / count;
    const windowSquares = Math.max(0, squares - (sum * sum) / count);
    const before = this.finite;
    const total = before + count;
    const delta = windowMean - this.runningMean;
    this.runningMean += (delta * count) / total;
    this.squares += windowSquares + ((delta * delta * before) / total) * count;
    this.finite = total;
  }

  private countLowBytes(bytes: Uint8Array): void {
    const low = this.lowCounts!;
    const counters = low.counters;
    const stride = this.wordBytes!;
    for (let index = 0; index < bytes.length; index += stride) counters[bytes[index]!]!++;
    low.counted(Math.ceil(bytes.length / stride));
  }
}

/** The mean of a window's finite values (0 when none): the shift for a tensor's first window. */
function finiteMean(values: FloatWindow): number {
  let count = 0;
  let sum = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value - value === 0) {
      count++;
      sum += value;
    }
  }
  return count > 0 && Number.isFinite(sum) ? sum / count : 0;
}

/** The tensor's shared statistics: one instance per tensor, fed once, for every detector that asks. */
export function statisticsOf(tensor: TensorStream, options?: StatisticsOptions): TensorStatistics {
  return tensor.shared(STATISTICS_KEY, () => new TensorStatistics(tensor.fact.dtype, tensor.fact.shape, options));
}
