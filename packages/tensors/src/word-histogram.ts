/**
 * Histograms of 16-bit words into a caller's 65536 counters, for the stego detector's low-bit
 * statistics: every 16-bit word (f16, bf16, 16-bit integers), or the low 16 bits of float32 values
 * whose mantissa has a nonzero bit above them. A WebAssembly kernel (kernels/word-histogram.wat)
 * counts about twice as fast as the JavaScript loops below, which count the same where it is not
 * loaded (MODELAUDIT_NO_SIMD) and for small chunks, whose counters would cost more to copy into
 * the kernel's memory and back than the kernel saves.
 */

import { WORD_HISTOGRAM_WASM } from "./kernels/word-histogram.wasm.js";
import { instantiateKernel } from "./wasm-kernel.js";

/** The kernel memory's layout (see the .wat): the counters, then a block of words. */
const INPUT = 262144;
const INPUT_BYTES = 262144;
/** Words from which a chunk goes through the kernel. */
const KERNEL_MIN_WORDS = 16384;

interface Kernel {
  memory: WebAssembly.Memory;
  count16(count: number): void;
  count32(count: number): number;
}

let kernel: { exports: Kernel; counts: Uint32Array; input: Uint8Array } | null | undefined;

function loadKernel() {
  if (kernel === undefined) {
    const exports = instantiateKernel<Kernel>(WORD_HISTOGRAM_WASM);
    kernel = exports && {
      exports,
      counts: new Uint32Array(exports.memory.buffer, 0, 65536),
      input: new Uint8Array(exports.memory.buffer, INPUT, INPUT_BYTES),
    };
  }
  return kernel;
}

/** Adds each whole little-endian 16-bit word of `chunk` to `counts` (65536 counters). */
export function countWords16(counts: Uint32Array, chunk: Uint8Array): void {
  const pairs = chunk.length >> 1;
  const loaded = pairs >= KERNEL_MIN_WORDS ? loadKernel() : null;
  if (loaded) {
    inKernel(loaded, counts, chunk.subarray(0, pairs * 2), (block) => {
      loaded.exports.count16(block >> 1);
      return 0;
    });
    return;
  }
  if ((chunk.byteOffset & 1) === 0) {
    const words = new Uint16Array(chunk.buffer, chunk.byteOffset, pairs);
    for (let at = 0; at < pairs; at++) counts[words[at]!]!++;
  } else {
    for (let at = 0; at < pairs * 2; at += 2) counts[chunk[at]! | (chunk[at + 1]! << 8)]!++;
  }
}

/**
 * Adds the low 16 bits of each whole little-endian float32 word of `chunk` whose bits 16..22 (the
 * mantissa above them) are not all zero to `counts`; returns how many it added.
 */
export function countFloat32Low16(counts: Uint32Array, chunk: Uint8Array): number {
  const count = chunk.length >> 2;
  const loaded = count >= KERNEL_MIN_WORDS ? loadKernel() : null;
  if (loaded)
    return inKernel(loaded, counts, chunk.subarray(0, count * 4), (block) => loaded.exports.count32(block >> 2));
  let counted = 0;
  if ((chunk.byteOffset & 3) === 0) {
    const words = new Uint32Array(chunk.buffer, chunk.byteOffset, count);
    for (let at = 0; at < count; at++) {
      const word = words[at]!;
      if ((word & 0x7f0000) !== 0) {
        counts[word & 0xffff]!++;
        counted++;
      }
    }
  } else {
    for (let at = 0; at < count * 4; at += 4) {
      if ((chunk[at + 2]! & 0x7f) !== 0) {
        counts[chunk[at]! | (chunk[at + 1]! << 8)]!++;
        counted++;
      }
    }
  }
  return counted;
}

/** Runs `count` (given a block's bytes) over `words` block by block, with `counts` copied in and back. */
function inKernel(
  loaded: NonNullable<typeof kernel>,
  counts: Uint32Array,
  words: Uint8Array,
  count: (bytes: number) => number,
): number {
  loaded.counts.set(counts);
  let counted = 0;
  for (let at = 0; at < words.length; at += INPUT_BYTES) {
    const block = words.subarray(at, at + INPUT_BYTES);
    loaded.input.set(block);
    counted += count(block.length);
  }
  counts.set(loaded.counts);
  return counted;
}
