/**
 * Histograms of 16-bit words into 65536 counters, for the stego detector's low-bit statistics:
 * every 16-bit word (f16, bf16, 16-bit integers), or the low 16 bits of float32 values whose
 * mantissa has a nonzero bit above them. A WebAssembly kernel (kernels/word-histogram.wat) counts
 * about twice as fast as the JavaScript loops below, which count the same where it is not loaded
 * (MODELAUDIT_NO_SIMD) and for small chunks.
 *
 * The kernel counts into counters in its own memory: `takeCounters` hands out one of a few slots
 * there (counting then copies nothing but the words), or pooled counters when all are taken, which
 * are copied into a free slot and back for a large chunk, or counted by the loops.
 */

import { AlignedArea, kernelWithArea } from "@modelaudit/core/detector";
import { BufferPool } from "./buffer-pool.js";
import { WORD_HISTOGRAM_WASM } from "./kernels/word-histogram.wasm.js";

/** The kernel memory's layout (see the .wat): a block of words, then the counters' slots. */
const INPUT_BYTES = 262144;
/** Bytes one call counts: the input area less room to place them up to 7 bytes in (a multiple of 4). */
const BLOCK_BYTES = INPUT_BYTES - 8;
const COUNTERS_BYTES = 65536 * 4;
const SLOTS = 4;
/** Words from which a chunk goes through the kernel when its counters are not in a slot. */
const KERNEL_MIN_WORDS = 16384;

interface Kernel {
  memory: WebAssembly.Memory;
  count16(counts: number, count: number, address: number): void;
  count32(counts: number, count: number, address: number): number;
}

interface Loaded {
  exports: Kernel;
  input: AlignedArea;
  slots: Uint32Array[];
  free: Uint32Array[];
}

let kernel: Loaded | null | undefined;

function loadKernel(): Loaded | null {
  if (kernel === undefined) {
    // The kernel's area in the KernelMemory: the input block, then the counters' slots.
    const loaded = kernelWithArea<Kernel>(WORD_HISTOGRAM_WASM, INPUT_BYTES + SLOTS * COUNTERS_BYTES);
    if (loaded === null) {
      kernel = null;
    } else {
      const { buffer, base } = loaded;
      const slots = Array.from(
        { length: SLOTS },
        (_, slot) => new Uint32Array(buffer, base + INPUT_BYTES + slot * COUNTERS_BYTES, 65536),
      );
      kernel = { exports: loaded.exports, input: new AlignedArea(buffer, base, BLOCK_BYTES), slots, free: [...slots] };
    }
  }
  return kernel;
}

/** 65536 zeroed counters: a slot of the kernel's memory while one is free, else from the buffer pool. */
export function takeCounters(): Uint32Array {
  const slot = loadKernel()?.free.pop();
  if (slot) return slot.fill(0);
  return new Uint32Array(BufferPool.of(COUNTERS_BYTES).take(true).buffer);
}

/** Gives counters from `takeCounters` back; they must not be used after. */
export function releaseCounters(counts: Uint32Array): void {
  if (kernel?.slots.includes(counts)) {
    // Given back twice, a slot would be handed to two owners.
    if (!kernel.free.includes(counts)) kernel.free.push(counts);
  } else {
    BufferPool.giveBack(new Uint8Array(counts.buffer));
  }
}

/** Adds each whole little-endian 16-bit word of `chunk` to `counts` (65536 counters). */
export function countWords16(counts: Uint32Array, chunk: Uint8Array): void {
  const pairs = chunk.length >> 1;
  if (inKernel(counts, chunk.subarray(0, pairs * 2), 2) !== null) return;
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
  const added = inKernel(counts, chunk.subarray(0, count * 4), 4);
  if (added !== null) return added;
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

/**
 * Counts `bytes` (whole words of `wordBytes`) with the kernel, block by block: in the counters' own
 * slot, or for a large chunk with them copied into a free slot and back. Returns how many it added
 * (for float32 words), or null when the loops are to count.
 */
function inKernel(counts: Uint32Array, bytes: Uint8Array, wordBytes: 2 | 4): number | null {
  const loaded = loadKernel();
  if (loaded === null) return null;
  const own = loaded.slots.includes(counts);
  const slot = own ? counts : bytes.length >= KERNEL_MIN_WORDS * wordBytes ? loaded.free.pop() : undefined;
  if (slot === undefined) return null;
  if (!own) slot.set(counts);
  let counted = 0;
  for (let at = 0; at < bytes.length; at += BLOCK_BYTES) {
    const block = bytes.subarray(at, at + BLOCK_BYTES);
    const address = loaded.input.copy(block);
    if (wordBytes === 4) counted += loaded.exports.count32(slot.byteOffset, block.length >> 2, address);
    else loaded.exports.count16(slot.byteOffset, block.length >> 1, address);
  }
  if (!own) {
    counts.set(slot);
    loaded.free.push(slot);
  }
  return counted;
}
