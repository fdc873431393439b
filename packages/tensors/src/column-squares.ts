/**
 * The squared L2 norms of a matrix's columns, row after row of values: `sums[column] += value ·
 * value` for each value. Float32 values go through a WebAssembly SIMD kernel (source:
 * kernels/column-squares.wat; the same bits, several times the loop's speed, which was the largest
 * cost of the backdoor checks' column norms at thorough); float64 values, and every value where the
 * kernel does not run, through the same loop in JavaScript. `addBytes` takes a tensor's raw data:
 * q8_0 blocks are squared by the q8_0 kernel straight from their bytes (no float32 copy of them),
 * other types decoded first.
 */

import type { TensorDType } from "@modelaudit/core";
import { AlignedArea, kernelWithArea } from "@modelaudit/core/detector";
import { type FloatDecoder, floatDecoder } from "./decode.js";
import { forKernel } from "./kernel-input.js";
import { COLUMN_SQUARES_WASM } from "./kernels/column-squares.wasm.js";
import { Q8_0_KERNEL_MAX_COLUMNS, Q8_0Kernel } from "./q8-0-kernel.js";

/** Values the kernel takes per call when they are copied in (its input area's size). */
const KERNEL_VALUES = 65536;
export const MAX_SQUARED_COLUMNS = 65536;

type Kernel = {
  add: (address: number, count: number, columns: number, column: number, sums: number) => number;
};

let kernel: { add: Kernel["add"]; input: AlignedArea; sums: Float64Array } | null | undefined;

function columnKernel(): typeof kernel {
  if (kernel === undefined) {
    // The kernel's area in the thread's KernelMemory: the sums, then the input that values read
    // elsewhere are copied to (values in a chunk read into the memory are read where they are).
    const loaded = kernelWithArea<Kernel>(COLUMN_SQUARES_WASM, MAX_SQUARED_COLUMNS * 8 + KERNEL_VALUES * 4 + 8);
    kernel = loaded && {
      add: loaded.exports.add,
      sums: new Float64Array(loaded.buffer, loaded.base, MAX_SQUARED_COLUMNS),
      input: new AlignedArea(loaded.buffer, loaded.base + MAX_SQUARED_COLUMNS * 8, KERNEL_VALUES * 4),
    };
  }
  return kernel;
}

export interface ColumnSquaresOptions {
  /** The type of the data `addBytes` takes (default f32). */
  dtype?: TensorDType;
  /** False: the JavaScript loops even where the kernels run (the tests compare the two). */
  useKernel?: boolean;
}

export class ColumnSquares {
  /** Per column, the sum of its values' squares so far. */
  readonly sums: Float64Array;
  private readonly kernel: typeof kernel;
  /** The q8_0 kernel, for q8_0 data whose rows are whole blocks. */
  private readonly blocks: Q8_0Kernel | null;
  private readonly decoder: FloatDecoder | null;

  /** `columns` (1 to MAX_SQUARED_COLUMNS) values a row. */
  constructor(columns: number, options: ColumnSquaresOptions = {}) {
    if (!Number.isSafeInteger(columns) || columns < 1 || columns > MAX_SQUARED_COLUMNS) {
      throw new RangeError(`ColumnSquares takes 1 to ${MAX_SQUARED_COLUMNS} columns, not ${columns}`);
    }
    const dtype = options.dtype ?? "f32";
    const useKernel = options.useKernel !== false;
    this.sums = new Float64Array(columns);
    this.kernel = useKernel ? columnKernel() : null;
    this.blocks =
      useKernel && dtype === "q8_0" && columns % 32 === 0 && columns <= Q8_0_KERNEL_MAX_COLUMNS
        ? Q8_0Kernel.get()
        : null;
    this.decoder = floatDecoder(dtype);
  }

  /**
   * Adds the squares of the values of `bytes`, whole elements (blocks) of the tensor's data, the
   * first in column `column`, up to `limit` values; returns the column after the last value added.
   */
  addBytes(bytes: Uint8Array, column: number, limit: number): number {
    // Rows of whole blocks: every block lies in one row, its 32 values in 32 consecutive columns.
    if (this.blocks !== null && column % 32 === 0 && limit % 32 === 0) {
      const blocks = Math.min(Math.floor(bytes.length / 34), limit / 32);
      return this.blocks.columnSquares(bytes, blocks, this.sums, column);
    }
    if (this.decoder === null) return column;
    const values = this.decoder.decode(bytes);
    return this.add(values, 0, Math.min(values.length, limit), column);
  }

  /**
   * Adds the squares of values[start..end), the first of which is in column `column` (rows follow
   * one another: after the last column comes column 0 of the next row). Returns the column after
   * the last value.
   */
  add(values: Float32Array | Float64Array, start: number, end: number, column: number): number {
    const kernel = this.kernel;
    if (kernel === null || kernel === undefined || !(values instanceof Float32Array)) {
      return addSquares(this.sums, values, start, end, column);
    }
    const columns = this.sums.length;
    // The sums live in the kernel's memory for the call (one kernel serves every tensor).
    kernel.sums.set(this.sums);
    const sums = kernel.sums.byteOffset;
    forKernel(kernel.input, values, start, end, KERNEL_VALUES, (address, count) => {
      column = kernel.add(address, count, columns, column, sums);
    });
    this.sums.set(kernel.sums.subarray(0, columns));
    return column;
  }
}

/** The kernel's loop in JavaScript (where it does not run, and for float64 values). */
function addSquares(
  sums: Float64Array,
  values: Float32Array | Float64Array,
  start: number,
  end: number,
  column: number,
): number {
  const columns = sums.length;
  for (let at = start; at < end; at++) {
    const value = values[at]!;
    sums[column]! += value * value;
    if (++column === columns) column = 0;
  }
  return column;
}
