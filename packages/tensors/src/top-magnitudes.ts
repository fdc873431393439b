/**
 * The largest |values| of each row of a tensor, signed, largest magnitude first (ties: the earlier
 * value first), up to TOP_MAGNITUDES a row: what the backdoor detector's trigger-patch check reads of
 * first convolutions and embeddings. NaN and infinities never count. Float32 values go through a
 * WebAssembly SIMD kernel (kernels/top-magnitudes.wat), which compares four values at a time with a
 * threshold no value below can pass and reads one by one only the groups that reach it (a loop
 * over every value of a tall embedding matrix, with an array a row, cost ~0.4 s per 65,536 rows of
 * 1,024). Float64 values, and every value where the kernel does not run, take the loop below,
 * which keeps the same values.
 */

import { AlignedArea, kernelWithArea } from "@modelaudit/core/detector";
import { forKernel } from "./kernel-input.js";
import { TOP_MAGNITUDES_WASM } from "./kernels/top-magnitudes.wasm.js";

/** Values kept per row. */
export const TOP_MAGNITUDES = 16;
/** Values the kernel takes per call when they are copied in (its input area's size). */
const KERNEL_VALUES = 65536;
/** Fewer values than this take the loop: the call and the copies of the kept values cost more. */
const KERNEL_MIN_VALUES = 256;
/** Where the input starts in the kernel's area: after the kept values. */
const INPUT = TOP_MAGNITUDES * 8;

interface Exports {
  keep: (address: number, count: number, top: number, kept: number) => number;
}

let kernel: { keep: Exports["keep"]; input: AlignedArea; top: Float64Array } | null | undefined;

function topKernel(): typeof kernel {
  if (kernel === undefined) {
    // The kernel's area: the row's kept values, then the input that values read elsewhere are copied to.
    const loaded = kernelWithArea<Exports>(TOP_MAGNITUDES_WASM, INPUT + KERNEL_VALUES * 4 + 8);
    kernel = loaded && {
      keep: loaded.exports.keep,
      top: new Float64Array(loaded.buffer, loaded.base, TOP_MAGNITUDES),
      input: new AlignedArea(loaded.buffer, loaded.base + INPUT, KERNEL_VALUES * 4),
    };
  }
  return kernel;
}

export class TopMagnitudes {
  /** Row r's kept values at r · TOP_MAGNITUDES .., `counts[r]` of them. */
  private readonly kept: Float64Array;
  private readonly counts: Uint8Array;
  private readonly kernel: typeof kernel;

  /** `useKernel: false`: the JavaScript loop even where the kernel runs (the tests compare the two). */
  constructor(
    readonly rows: number,
    options: { useKernel?: boolean } = {},
  ) {
    this.kept = new Float64Array(rows * TOP_MAGNITUDES);
    this.counts = new Uint8Array(rows);
    this.kernel = options.useKernel === false ? null : topKernel();
  }

  /** Adds values[start..end), the next values of row `row`. */
  add(row: number, values: Float32Array | Float64Array, start: number, end: number): void {
    const kernel = this.kernel;
    if (
      kernel === null ||
      kernel === undefined ||
      !(values instanceof Float32Array) ||
      end - start < KERNEL_MIN_VALUES
    ) {
      this.counts[row] = keepLargest(this.kept, row * TOP_MAGNITUDES, this.counts[row]!, values, start, end);
      return;
    }
    const kept = this.kept;
    const top = kernel.top;
    const base = row * TOP_MAGNITUDES;
    let count = this.counts[row]!;
    for (let slot = 0; slot < count; slot++) top[slot] = kept[base + slot]!;
    forKernel(kernel.input, values, start, end, KERNEL_VALUES, (address, length) => {
      count = kernel.keep(address, length, top.byteOffset, count);
    });
    for (let slot = 0; slot < count; slot++) kept[base + slot] = top[slot]!;
    this.counts[row] = count;
  }

  /** Row `row`'s kept values, largest magnitude first (a view). */
  row(row: number): Float64Array {
    return this.kept.subarray(row * TOP_MAGNITUDES, row * TOP_MAGNITUDES + this.counts[row]!);
  }
}

/**
 * The kernel's loop: adds values[start..end) to the `count` values kept at kept[base ..]; returns the
 * new count. One comparison per value against the smallest kept.
 */
function keepLargest(
  kept: Float64Array,
  base: number,
  count: number,
  values: Float32Array | Float64Array,
  start: number,
  end: number,
): number {
  let floor = count === TOP_MAGNITUDES ? Math.abs(kept[base + TOP_MAGNITUDES - 1]!) : -1;
  for (let at = start; at < end; at++) {
    const value = values[at]!;
    const magnitude = Math.abs(value);
    // NaN fails the comparison; infinities are not weights.
    if (!(magnitude > floor) || magnitude === Number.POSITIVE_INFINITY) continue;
    let slot = count < TOP_MAGNITUDES ? count++ : TOP_MAGNITUDES - 1;
    while (slot > 0 && Math.abs(kept[base + slot - 1]!) < magnitude) {
      kept[base + slot] = kept[base + slot - 1]!;
      slot--;
    }
    kept[base + slot] = value;
    if (count === TOP_MAGNITUDES) floor = Math.abs(kept[base + TOP_MAGNITUDES - 1]!);
  }
  return count;
}
