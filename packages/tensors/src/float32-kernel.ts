/**
 * The float32 row loop as a WebAssembly SIMD kernel (source: kernels/float32-segment.wat): four
 * values per step, about four times the plain loop's speed, which is what `standard` spends most
 * of its time in on float32 weights. The kernel works in the thread's KernelMemory, where the
 * chunks of large files are read: a window there is read in place, any other is copied into the
 * kernel's area once. Each row's part of it is then summarized by one call, and the median sketch
 * counts it from there too (into counters the kernel lends). Where WebAssembly SIMD is missing,
 * `Float32Kernel.get()` is null and callers keep the JavaScript loop (the results are the same up
 * to the order of sums).
 */

import { AlignedArea, instantiateKernel, KernelMemory } from "@modelaudit/core/detector";
import { FLOAT32_SEGMENT_WASM } from "./kernels/float32-segment.wasm.js";
import { KernelHistogramSlots } from "./median-sketch.js";
import { emptySegment, type SegmentSummary, summarize } from "./segment-summary.js";

/** Where window data starts in the kernel's area (results live below). */
const DATA_START = 256;
/**
 * Values a window may hold: the kernel's two pages, less the results and 8 bytes of room for a
 * window copied 4 bytes later (see `load`).
 */
export const KERNEL_MAX_VALUES = (2 * 65536 - DATA_START - 8) / 4;
/** The median-sketch counter slots, after the data. */
const HISTOGRAMS = 2 * 65536;
const HISTOGRAM_SLOTS = 4;
/** Where `rows` writes its per-row figures, after the counter slots. */
const ROW_FIGURES = HISTOGRAMS + HISTOGRAM_SLOTS * 65536 * 4;
/** Bytes of one row's figures (see float32-segment.wat). */
const ROW_FIGURE_BYTES = 40;
/** Rows one `rows` call summarizes at most. */
export const KERNEL_MAX_ROWS = 1024;
/** The kernel's area: results, data, the counter slots (65536 counters of 4 bytes each), then the row figures. */
const AREA_BYTES = ROW_FIGURES + KERNEL_MAX_ROWS * ROW_FIGURE_BYTES;

/**
 * The figures `rows` wrote, one row at a time: row r's at `doubles[5r]` (sum), `doubles[5r + 1]`
 * (squares), `floats[10r + 4 ..]` (min, max, largest |value|) and `integers[10r + 7 ..]` (its index,
 * zeros, positives). Views of the kernel's memory, valid until its next call.
 */
export interface RowFigures {
  readonly doubles: Float64Array;
  readonly floats: Float32Array;
  readonly integers: Int32Array;
}

interface Exports {
  summarize: (address: number, count: number, out: number) => void;
  firstAt: (address: number, count: number, magnitude: number) => number;
  rows: (address: number, length: number, count: number, lanes: number, out: number) => void;
  histogram: (address: number, count: number, counts: number) => void;
}

let instance: Float32Kernel | null | undefined;

export class Float32Kernel {
  private readonly summarizeAt: (address: number, count: number, out: number) => void;
  private readonly firstAt: (address: number, count: number, magnitude: number) => number;
  private readonly histogramAt: (address: number, count: number, counts: number) => void;
  private readonly rowsAt: (address: number, length: number, count: number, lanes: number, out: number) => void;
  /** Where `rows` writes, as views (see RowFigures). */
  readonly rowFigures: RowFigures;
  /** The values `load` copied last (the very array), which `histogram` counts. */
  private loaded: Float32Array | null = null;
  private loadCount = 0;
  /**
   * Bucket counters for a median sketch of float32 values (`new MedianSketch(n, kernel.counters)`):
   * slots of the kernel's memory, which `histogram` counts into.
   */
  readonly counters: KernelHistogramSlots;
  private readonly input: AlignedArea;
  /** Where the values `load` was given last are: in place, or where it copied them. */
  private address = 0;
  /** The kernel's area in the KernelMemory: results at its start. */
  private readonly base: number;
  private readonly sums: Float64Array;
  private readonly lanes: Float32Array;
  private readonly counts: Int32Array;
  /** Reused for every call: callers read it before the next. */
  readonly result = emptySegment();
  /** The last (count % 4) values' figures, by the JavaScript loop. */
  private readonly tail = emptySegment();

  /** The process's kernel, or null where WebAssembly SIMD is not available. */
  static get(): Float32Kernel | null {
    if (instance === undefined) {
      const exports = instantiateKernel<Exports>(FLOAT32_SEGMENT_WASM);
      const memory = KernelMemory.get();
      instance = exports && memory ? new Float32Kernel(exports, memory) : null;
    }
    return instance;
  }

  private constructor(exports: Exports, memory: KernelMemory) {
    this.base = memory.reserve(AREA_BYTES);
    const buffer = memory.buffer;
    const base = this.base;
    this.summarizeAt = exports.summarize;
    this.firstAt = exports.firstAt;
    this.histogramAt = exports.histogram;
    this.rowsAt = exports.rows;
    this.rowFigures = {
      doubles: new Float64Array(buffer, base + ROW_FIGURES, KERNEL_MAX_ROWS * 5),
      floats: new Float32Array(buffer, base + ROW_FIGURES, KERNEL_MAX_ROWS * 10),
      integers: new Int32Array(buffer, base + ROW_FIGURES, KERNEL_MAX_ROWS * 10),
    };
    this.counters = new KernelHistogramSlots(buffer, base + HISTOGRAMS, HISTOGRAM_SLOTS);
    this.input = new AlignedArea(buffer, base + DATA_START, KERNEL_MAX_VALUES * 4);
    this.sums = new Float64Array(buffer, base, 8);
    this.lanes = new Float32Array(buffer, base + 64, 12);
    this.counts = new Int32Array(buffer, base + 112, 8);
  }

  /**
   * Makes up to KERNEL_MAX_VALUES values the ones `summarize` and `histogram` read: where they are
   * when a chunk in the KernelMemory holds them, else a copy in the kernel's area.
   */
  load(values: Float32Array): void {
    // In place, or copied at the values' own alignment (AlignedArea): DATA_START or 4 bytes later.
    this.address = this.input.copy(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.loaded = values;
    this.loadCount++;
  }

  /** How many `load` calls so far: a caller that noted it before other work knows whether one ran since. */
  get loads(): number {
    return this.loadCount;
  }

  /**
   * Counts `values`, the array `load` copied last, into `counters` (one of this kernel's slots) by
   * the top 16 bits of each value's pattern, as MedianSketch counts; false (nothing counted) when
   * `values` are not what is loaded or the counters are not the kernel's.
   */
  histogram(values: Float32Array, counters: Uint32Array): boolean {
    if (values !== this.loaded || !this.counters.owns(counters)) return false;
    this.histogramAt(this.address, values.length, counters.byteOffset);
    return true;
  }

  /**
   * Summarizes `count` (at most KERNEL_MAX_ROWS) whole rows of `length` loaded values each, the first
   * at index `start`, into `rowFigures`: each row's figures are `summarize(start + r · length, length)`'s.
   */
  rows(start: number, length: number, count: number): RowFigures {
    this.rowsAt(this.address + start * 4, length, count, this.base, this.base + ROW_FIGURES);
    return this.rowFigures;
  }

  /**
   * Summarizes `count` loaded values from index `start`, into `result`. The kernel takes four at a
   * time; the last (count % 4) are added here, in the same way.
   */
  summarize(start: number, count: number): SegmentSummary {
    const whole = count & ~3;
    const sums = this.sums;
    const lanes = this.lanes;
    const counts = this.counts;
    const result = this.result;
    let sum = 0;
    let squares = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let largest = -1;
    let largestAt = 0;
    let zeros = 0;
    let positives = 0;
    if (whole > 0) {
      this.summarizeAt(this.address + start * 4, whole, this.base);
      sum = sums[0]! + sums[2]! + (sums[1]! + sums[3]!);
      squares = sums[4]! + sums[6]! + (sums[5]! + sums[7]!);
      for (let lane = 0; lane < 4; lane++) {
        const least = lanes[lane]!;
        const greatest = lanes[4 + lane]!;
        const magnitude = lanes[8 + lane]!;
        if (least < min) min = least;
        if (greatest > max) max = greatest;
        if (magnitude > largest) largest = magnitude;
        zeros += counts[lane]!;
        positives += counts[4 + lane]!;
      }
      // Where it first occurs, whichever lane saw it (none when every value is NaN).
      if (largest >= 0) largestAt = this.firstAt(this.address + start * 4, whole, largest);
    }
    if (whole < count) {
      // The values themselves: the copy (if any) holds the same.
      const tail = summarize(this.loaded as Float32Array, start + whole, start + count, this.tail);
      sum += tail.sum;
      squares += tail.squares;
      if (tail.min < min) min = tail.min;
      if (tail.max > max) max = tail.max;
      if (tail.largest > largest) {
        largest = tail.largest;
        largestAt = whole + tail.largestAt;
      }
      zeros += tail.zeros;
      positives += tail.positives;
    }
    result.sum = sum;
    result.squares = squares;
    result.min = min;
    result.max = max;
    result.largest = largest;
    result.largestAt = largestAt;
    result.zeros = zeros;
    result.positives = positives;
    return result;
  }
}
