/**
 * The integer sums of q8_0 blocks as a WebAssembly SIMD kernel (source: kernels/q8-0-blocks.wat):
 * per block Σq, Σq², the counts of q = 0 and q > 0, and whether a q is -128, what ScaledBlocks' SWAR loop
 * computes, at a fraction of its cost. Null where WebAssembly SIMD is missing.
 */

import { Q8_0_BLOCKS_WASM } from "./kernels/q8-0-blocks.wasm.js";
import { instantiateKernel } from "./wasm-kernel.js";

const DATA_START = 256;
/** Blocks one call takes (the kernel's output arrays hold this many). */
export const Q8_0_KERNEL_MAX_BLOCKS = 1024;
const BLOCK_BYTES = 34;
/** Byte offsets of the kernel's output arrays (see the .wat). */
const SUMS = 36864;
const SQUARES = 40960;
const ZEROS = 45056;
const POSITIVES = 49152;
const MINUS128 = 53248;

let instance: Q8_0Kernel | null | undefined;

export class Q8_0Kernel {
  private readonly input: Uint8Array;
  /** Views of the last call's per-block results (valid until the next call). */
  readonly sums: Int32Array;
  readonly squares: Int32Array;
  readonly zeros: Int32Array;
  readonly positives: Int32Array;
  readonly minus128: Int32Array;

  static get(): Q8_0Kernel | null {
    if (instance === undefined) {
      const exports = instantiateKernel<{ sum: (address: number, count: number) => void }>(Q8_0_BLOCKS_WASM);
      instance = exports ? new Q8_0Kernel(exports) : null;
    }
    return instance;
  }

  private constructor(
    private readonly exports: { memory: WebAssembly.Memory; sum: (address: number, count: number) => void },
  ) {
    const buffer = exports.memory.buffer;
    this.input = new Uint8Array(buffer, DATA_START, Q8_0_KERNEL_MAX_BLOCKS * BLOCK_BYTES);
    this.sums = new Int32Array(buffer, SUMS, Q8_0_KERNEL_MAX_BLOCKS);
    this.squares = new Int32Array(buffer, SQUARES, Q8_0_KERNEL_MAX_BLOCKS);
    this.zeros = new Int32Array(buffer, ZEROS, Q8_0_KERNEL_MAX_BLOCKS);
    this.positives = new Int32Array(buffer, POSITIVES, Q8_0_KERNEL_MAX_BLOCKS);
    this.minus128 = new Int32Array(buffer, MINUS128, Q8_0_KERNEL_MAX_BLOCKS);
  }

  /** Sums the first `count` (≤ Q8_0_KERNEL_MAX_BLOCKS) blocks of `window` into the result views. */
  sum(window: Uint8Array, count: number): void {
    this.input.set(window.subarray(0, count * BLOCK_BYTES));
    this.exports.sum(DATA_START, count);
  }
}
