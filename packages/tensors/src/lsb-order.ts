/**
 * The LSB of each of consecutive 32-bit words and how they order, for the stego detector's
 * periodicity test (its LSB stream, and the ramp check: how many words rise or fall from the one
 * before). A WebAssembly SIMD kernel (kernels/lsb-order.wat) takes eight words a step; the loop
 * below computes the same where it is missing, and for a range not starting on a byte of the
 * stream.
 */

import { instantiateKernel } from "@modelaudit/core/detector";
import { LSB_ORDER_WASM } from "./kernels/lsb-order.wasm.js";

/** The kernel memory's layout (see the .wat): the counts, the word before the words (at 16), their LSBs. */
const BEFORE = 12;
const BITS = 131152;
/** Words one kernel call takes. */
const MAX_WORDS = 32768;
/** Whether a Uint32Array's bit i (bit i % 32 of word i / 32) is bit i % 8 of its byte i / 8. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

interface Kernel {
  memory: WebAssembly.Memory;
  lsbOrder(count: number): void;
}

let kernel: { exports: Kernel; counts: Int32Array; words: Uint32Array; lsbs: Uint8Array } | null | undefined;

function loadKernel() {
  if (kernel === undefined) {
    const exports = instantiateKernel<Kernel>(LSB_ORDER_WASM);
    kernel = exports && {
      exports,
      counts: new Int32Array(exports.memory.buffer, 0, 2),
      words: new Uint32Array(exports.memory.buffer, BEFORE, 1 + MAX_WORDS + 8),
      lsbs: new Uint8Array(exports.memory.buffer, BITS, MAX_WORDS / 8),
    };
  }
  return kernel;
}

/**
 * Sets in the stream `bits` (bit i: bit i % 32 of `bits[i >>> 5]`) the LSB of each word of
 * `values` from `start` to `end`, and counts the words above and below the word before them (from
 * start + 1 when start is 0: the first word has none).
 */
export function lsbOrder(
  values: Uint32Array,
  start: number,
  end: number,
  bits: Uint32Array,
): { rising: number; falling: number } {
  const loaded = LITTLE_ENDIAN && start % 8 === 0 ? loadKernel() : null;
  if (loaded === null) return lsbOrderLoop(values, start, end, bits);
  const stream = new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
  let rising = 0;
  let falling = 0;
  for (let from = start; from < end; from += MAX_WORDS) {
    const count = Math.min(MAX_WORDS, end - from);
    const words = loaded.words;
    // The first word compared with itself when it has none before: neither above nor below.
    words[0] = values[from > 0 ? from - 1 : 0]!;
    words.set(values.subarray(from, from + count), 1);
    words.fill(values[from + count - 1]!, 1 + count, 1 + count + 8);
    loaded.exports.lsbOrder(count);
    rising += loaded.counts[0]!;
    falling += loaded.counts[1]!;
    const whole = count >>> 3;
    const at = from >>> 3;
    for (let byte = 0; byte < whole; byte++) stream[at + byte]! |= loaded.lsbs[byte]!;
    // The last byte's bits past the range are the repeated word's.
    if (count % 8 !== 0) stream[at + whole]! |= loaded.lsbs[whole]! & ((1 << (count % 8)) - 1);
  }
  return { rising, falling };
}

/** `lsbOrder` word by word. */
function lsbOrderLoop(
  values: Uint32Array,
  start: number,
  end: number,
  bits: Uint32Array,
): { rising: number; falling: number } {
  let rising = 0;
  let falling = 0;
  for (let index = start; index < end; index++) {
    const word = values[index]!;
    bits[index >>> 5]! |= (word & 1) << (index & 31);
    if (index > 0) {
      const before = values[index - 1]!;
      rising += +(word > before);
      falling += +(word < before);
    }
  }
  return { rising, falling };
}
