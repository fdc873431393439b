/**
 * A window of q8_0 blocks summarised by one WebAssembly SIMD call (source: kernels/q8-0-blocks.wat):
 * the window's Σ values, Σ values², extremes and zeros, and per row part the figures RowSummary
 * keeps, what ScaledBlocks and RowSummary.addBlocks compute block by block in JavaScript (about
 * three times the cost: several loops over blocks, each a few nanoseconds a block). The results are
 * the same to the bit: every product is exact and the sums run in the same order. Null where
 * WebAssembly SIMD is missing; TensorStatistics then keeps the JavaScript path.
 */

import { AlignedArea, instantiateKernel, KernelMemory } from "@modelaudit/core/detector";
import { float16Table } from "./float-tables.js";
import { HistogramJobs } from "./histogram-jobs.js";
import { Q8_0_BLOCKS_WASM } from "./kernels/q8-0-blocks.wasm.js";
import { KernelHistogramSlots } from "./median-sketch.js";

const DATA_START = 256;
/** Blocks one call takes (the kernel's segment arrays hold this many). */
export const Q8_0_KERNEL_MAX_BLOCKS = 1024;
/** Blocks a row may hold for the kernel, which counts them in 32-bit integers. */
export const Q8_0_KERNEL_MAX_ROW_BLOCKS = 0x3fffffff;
const BLOCK_BYTES = 34;
/** Byte offsets of the kernel's outputs and of its binary16 table (see the .wat). */
const SEG_SQUARES = 36864;
const SEG_LARGEST = 45056;
const SEG_POSITIVES = 53248;
const SEG_ZEROS = 57344;
const SEG_BEST = 61440;
const SEG_BEST_Q = 65536;
const HALVES = 131072;
const VALUES = 393216;
/** Median-sketch bucket counters the kernel lends (see `counters`): 65536 32-bit counts each. */
const HISTOGRAMS = 524288;
const HISTOGRAM_SLOTS = 4;
/** Float64 column sums `columnSquares` adds to (65536 of them). */
const SUMS = 1572864;
export const Q8_0_KERNEL_MAX_COLUMNS = 65536;
/** The kernel's area in the KernelMemory: everything above, the column sums last. */
const AREA_BYTES = SUMS + Q8_0_KERNEL_MAX_COLUMNS * 8;
/** Rows longer than any window: a tensor without rows is one segment per window. */
const NO_ROWS = 0x7fffffff;

type Exports = {
  setBase: (address: number) => void;
  window: (address: number, count: number, rowBlocks: number, first: number) => number;
  dequantize: (address: number, count: number) => void;
  histogram: (address: number, count: number, counts: number) => void;
  columns: (address: number, count: number, columns: number, column: number) => number;
};

let instance: Q8_0Kernel | null | undefined;

/** What one `window` call found; views valid until the next call. */
export interface Q8_0Window {
  /** Blocks read. */
  count: number;
  sum: number;
  squares: number;
  min: number;
  max: number;
  zeros: number;
  /** The least and greatest scale d of the blocks read (every one finite). */
  scaleLeast: number;
  scaleGreatest: number;
  /** Row parts, in order: the first continues the row in progress, each other starts a row. */
  segments: number;
  segmentSquares: Float64Array;
  /** Largest |value| of each part (0 when every value is zero). */
  segmentLargest: Float64Array;
  segmentPositives: Int32Array;
  segmentZeros: Int32Array;
  /** The first block of the window reaching the part's largest |value| (-1 when it is 0), and its largest |q|. */
  segmentBest: Int32Array;
  segmentBestQuant: Int32Array;
}

export class Q8_0Kernel {
  private readonly input: AlignedArea;
  /** Where the blocks placed last start: in place in a chunk, or copied into the kernel's area. */
  private at = 0;
  /** Whether they are in place in a chunk area (which stays put until the jobs reading it settle). */
  private inPlace = false;
  private readonly memory: KernelMemory;
  /** `histogram` calls handed to the hashing thread. */
  private readonly jobs: HistogramJobs | null;
  /** The float64 column sums `columns` adds to, in the kernel's area. */
  private readonly columnSums: Float64Array;
  private readonly totals: Float64Array;
  private readonly zeroTotal: Int32Array;
  private readonly values: Float32Array;
  private readonly result: Q8_0Window;
  /**
   * Bucket counters for a median sketch of q8_0 values (`new MedianSketch(n, kernel.counters)`):
   * slots of the kernel's memory, which `histogram` counts into.
   */
  readonly counters: KernelHistogramSlots;

  static get(): Q8_0Kernel | null {
    if (instance === undefined) {
      const exports = instantiateKernel<Exports>(Q8_0_BLOCKS_WASM);
      const memory = KernelMemory.get();
      instance = exports && memory ? new Q8_0Kernel(exports, memory) : null;
    }
    return instance;
  }

  private constructor(
    private readonly exports: Exports,
    memory: KernelMemory,
  ) {
    const base = memory.reserve(AREA_BYTES);
    exports.setBase(base);
    this.memory = memory;
    this.jobs = HistogramJobs.for(
      memory,
      { base64: Q8_0_BLOCKS_WASM, exportName: "histogram", base, count: exports.histogram },
      base + HISTOGRAMS,
      HISTOGRAM_SLOTS,
    );
    const buffer = memory.buffer;
    this.input = new AlignedArea(buffer, base + DATA_START, Q8_0_KERNEL_MAX_BLOCKS * BLOCK_BYTES);
    this.totals = new Float64Array(buffer, base, 7);
    this.zeroTotal = new Int32Array(buffer, base + 32, 1);
    this.values = new Float32Array(buffer, base + VALUES, Q8_0_KERNEL_MAX_BLOCKS * 32);
    this.columnSums = new Float64Array(buffer, base + SUMS, Q8_0_KERNEL_MAX_COLUMNS);
    new Uint32Array(buffer, base + HALVES, 65536).set(float16Table());
    this.counters = new KernelHistogramSlots(buffer, base + HISTOGRAMS, HISTOGRAM_SLOTS, (counters) =>
      this.jobs?.settle(counters),
    );
    const blocks = Q8_0_KERNEL_MAX_BLOCKS;
    this.result = {
      count: 0,
      sum: 0,
      squares: 0,
      min: 0,
      max: 0,
      zeros: 0,
      scaleLeast: 0,
      scaleGreatest: 0,
      segments: 0,
      segmentSquares: new Float64Array(buffer, base + SEG_SQUARES, blocks),
      segmentLargest: new Float64Array(buffer, base + SEG_LARGEST, blocks),
      segmentPositives: new Int32Array(buffer, base + SEG_POSITIVES, blocks),
      segmentZeros: new Int32Array(buffer, base + SEG_ZEROS, blocks),
      segmentBest: new Int32Array(buffer, base + SEG_BEST, blocks),
      segmentBestQuant: new Int32Array(buffer, base + SEG_BEST_Q, blocks),
    };
  }

  /**
   * Makes `bytes` the blocks the next calls read: in place when a chunk in the KernelMemory holds
   * them, else copied into the input area at their own alignment (34-byte blocks are mostly misaligned).
   */
  private place(bytes: Uint8Array): void {
    this.at = this.input.copy(bytes);
    this.inPlace = this.memory.inChunkArea(bytes);
  }

  /**
   * Summarises the whole blocks of `window` (at most Q8_0_KERNEL_MAX_BLOCKS), rows of `rowBlocks`
   * blocks with `first` blocks left in the row in progress (0 for both when the tensor has no
   * rows). Null, with nothing summarised, when a block's scale is NaN or ±Inf.
   */
  window(window: Uint8Array, rowBlocks = 0, first = 0): Q8_0Window | null {
    const count = Math.min(Q8_0_KERNEL_MAX_BLOCKS, Math.floor(window.length / BLOCK_BYTES));
    this.place(window.subarray(0, count * BLOCK_BYTES));
    const rows = rowBlocks > 0;
    const segments = this.exports.window(this.at, count, rows ? rowBlocks : NO_ROWS, rows ? first : NO_ROWS);
    if (segments < 0) return null;
    const result = this.result;
    const totals = this.totals;
    result.count = count;
    result.sum = totals[0]!;
    result.squares = totals[1]!;
    result.min = totals[2]!;
    result.max = totals[3]!;
    result.zeros = this.zeroTotal[0]!;
    result.scaleLeast = totals[5]!;
    result.scaleGreatest = totals[6]!;
    result.segments = segments;
    return result;
  }

  /**
   * The float32 values of the first `blocks` q8_0 blocks of `bytes` into `out`, a kernel-sized piece
   * at a time: what the JavaScript q8_0 decoder gives, to the bit, at a fraction of its cost (the
   * decoder of every q8_0 consumer comes here). It reads through the input `window` uses, so a
   * `dequantize` after it would not see the window's blocks: callers pair those two with nothing between.
   */
  decode(bytes: Uint8Array, blocks: number, out: Float32Array): void {
    for (let start = 0; start < blocks; start += Q8_0_KERNEL_MAX_BLOCKS) {
      const count = Math.min(Q8_0_KERNEL_MAX_BLOCKS, blocks - start);
      this.place(bytes.subarray(start * BLOCK_BYTES, (start + count) * BLOCK_BYTES));
      this.exports.dequantize(this.at, count);
      out.set(this.values.subarray(0, count * 32), start * 32);
    }
  }

  /**
   * Adds the squares of the values of the first `blocks` q8_0 blocks of `bytes` to `sums`, a
   * matrix's column sums (`sums.length` columns a row, a multiple of 32 up to
   * Q8_0_KERNEL_MAX_COLUMNS), the first value in column `column` (a multiple of 32): what
   * ColumnSquares.add gives for the decoded values, to the bit, without decoding them. Returns the
   * column after the last value. Reads through the input `window` uses, as `decode` does.
   */
  columnSquares(bytes: Uint8Array, blocks: number, sums: Float64Array, column: number): number {
    const columns = sums.length;
    const kept = this.columnSums.subarray(0, columns);
    kept.set(sums);
    for (let start = 0; start < blocks; start += Q8_0_KERNEL_MAX_BLOCKS) {
      const count = Math.min(Q8_0_KERNEL_MAX_BLOCKS, blocks - start);
      this.place(bytes.subarray(start * BLOCK_BYTES, (start + count) * BLOCK_BYTES));
      column = this.exports.columns(this.at, count, columns, column);
    }
    sums.set(kept);
    return column;
  }

  /** Whether `counters` are one of this kernel's slots, which `histogram` can count into. */
  ownsCounters(counters: Uint32Array): boolean {
    return this.counters.owns(counters);
  }

  /**
   * Counts the values of the blocks the last `window` call read into `counters` (one of this
   * kernel's slots: see `ownsCounters`), as MedianSketch counts `dequantize`'s values: the same
   * buckets, without storing the values and walking them again. Blocks in place in a chunk area may
   * be counted on the hashing thread (histogram-jobs.ts); the sketch settles them before its result.
   */
  histogram(counters: Uint32Array): void {
    if (!this.ownsCounters(counters)) throw new RangeError("q8_0 kernel: counters not lent by this kernel");
    const at = this.at;
    const count = this.result.count;
    // Blocks in place in a chunk may be counted by the hashing thread, when it has time to spare.
    if (this.inPlace && this.jobs?.submit(at, at + count * BLOCK_BYTES, count, count * 32, counters)) return;
    this.exports.histogram(at, count, counters.byteOffset);
  }

  /**
   * The values of the blocks the last `window` call read, as float32 (what the q8_0 decoder gives,
   * to the bit): a view valid until the next call.
   */
  dequantize(): Float32Array {
    const count = this.result.count;
    this.exports.dequantize(this.at, count);
    return this.values.subarray(0, count * 32);
  }
}
