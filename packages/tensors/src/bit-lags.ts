/**
 * How often a bit stream disagrees with itself shifted by a lag: the hot loop of the stego
 * detector's LSB periodicity test (lags × words). `disagreementsByLag` counts every lag at once
 * with a WebAssembly SIMD kernel (kernels/bit-lags.wat, four words and a byte-wise population count
 * a step), or where SIMD is missing with `disagreements` per lag, which gives the same counts.
 *
 * Streams are 32-bit words, bit i of the stream being bit i % 32 of word i / 32; words past the
 * array's end read as zero (bitwise operators take `undefined` as 0; the kernel is given zeros).
 */

import { instantiateKernel } from "@modelaudit/core/detector";
import { BIT_LAGS_WASM } from "./kernels/bit-lags.wasm.js";

/** The kernel memory's layout (see the .wat): the stream's words, then one count per lag. */
const OUT = 16384;
const MAX_WORDS = OUT / 4;
const MAX_LAGS = (65536 - OUT) / 4;

interface Kernel {
  memory: WebAssembly.Memory;
  disagreements(lags: number, pairs: number): void;
}

let kernel: { exports: Kernel; words: Uint32Array; counts: Int32Array } | null | undefined;

function loadKernel() {
  if (kernel === undefined) {
    const exports = instantiateKernel<Kernel>(BIT_LAGS_WASM);
    kernel = exports && {
      exports,
      words: new Uint32Array(exports.memory.buffer, 0, MAX_WORDS),
      counts: new Int32Array(exports.memory.buffer, OUT, MAX_LAGS),
    };
  }
  return kernel;
}

/**
 * Per lag 1 .. `lags`, at index lag - 1: the bits of the stream's first `pairs` words that differ
 * from the bits `lag` further on. The array is reused by the next call.
 */
export function disagreementsByLag(bits: Uint32Array, lags: number, pairs: number): Int32Array {
  const words = pairs + (lags >>> 5) + 1;
  const loaded = pairs % 4 === 0 && words <= MAX_WORDS && lags <= MAX_LAGS ? loadKernel() : null;
  if (loaded === null) {
    const counts = new Int32Array(lags);
    for (let lag = 1; lag <= lags; lag++) counts[lag - 1] = disagreements(bits, lag, pairs);
    return counts;
  }
  const stream = bits.subarray(0, words);
  loaded.words.set(stream);
  loaded.words.fill(0, stream.length, words);
  loaded.exports.disagreements(lags, pairs);
  return loaded.counts.subarray(0, lags);
}

/**
 * Bits that differ between the stream and itself shifted by `lag`, over `pairs` 32-bit words: the
 * shift's two cases run as separate loops with the population count written out.
 */
export function disagreements(bits: Uint32Array, lag: number, pairs: number): number {
  const shift = lag >>> 5;
  const rest = lag & 31;
  let count = 0;
  if (rest === 0) {
    for (let word = 0; word < pairs; word++) {
      let v = bits[word]! ^ bits[word + shift]!;
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      count += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    return count;
  }
  const left = 32 - rest;
  for (let word = 0; word < pairs; word++) {
    let v = bits[word]! ^ ((bits[word + shift]! >>> rest) | ((bits[word + shift + 1] ?? 0) << left));
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return count;
}
