/**
 * Gathers the low byte of each element and packs the 1, 2 and 4-bit planes of a block of elements,
 * every plane whole, in one pass: with the WebAssembly SIMD kernel (kernels/low-bit-planes.wat),
 * or where SIMD is missing with JavaScript loops that compute the same bytes. LowBitPlanes used to
 * compute plane bytes on demand, one call per byte; a text search and the windows' copies then
 * cost more than packing everything at SIMD speed.
 *
 * One packer serves every tensor (reads are synchronous); its buffers are fixed, so a block is at
 * most BLOCK_ELEMENTS elements. Every loop works in whole groups of 8 or 16 elements and may read
 * and write up to a group past what it was given, into slack the layout leaves (an output byte
 * depends on its own elements only, so the bytes of whole elements are right whatever follows).
 */

import { AlignedArea, instantiateKernel, KernelMemory } from "@modelaudit/core/detector";
import { LOW_BIT_PLANES_WASM } from "./kernels/low-bit-planes.wasm.js";

/** Elements one block holds at most (after up to 7 carried from the block before). */
export const BLOCK_ELEMENTS = 65536;
/** The packer's area (the kernel's, in the KernelMemory): the input words, the low bytes, the planes. */
const INPUT = 0;
const INPUT_BYTES = BLOCK_ELEMENTS * 4 + 1024;
const LOWS = INPUT + INPUT_BYTES;
const LOWS_BYTES = BLOCK_ELEMENTS + 1024;
const PLANES = LOWS + LOWS_BYTES;
/** A block's 1-bit plane with slack; the 2 and 4-bit planes take 2 and 4 times this. */
const P1 = 8448;
/** The printable map of one plane's bytes (`textMap`), after the planes. */
const TEXT_MAP = PLANES + 14 * P1;
const TEXT_MAP_BYTES = 8448;
const MEMORY_BYTES = 8 * 65536;
/** Whether a Uint32Array's bit i % 32 of word i / 32 is bit i % 8 of its byte i / 8 (the kernel's map). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Plane keys, as `planeBytes` takes them: 1, 2 or 4 bits, msb-first or not. */
const PLANE_OFFSETS = {
  "1msb": 0,
  "1lsb": P1,
  "2msb": 2 * P1,
  "2lsb": 4 * P1,
  "4msb": 6 * P1,
  "4lsb": 10 * P1,
} as const;

interface Kernel {
  memory: WebAssembly.Memory;
  gather4(src: number, count: number, dst: number): void;
  gather2(src: number, count: number, dst: number): void;
  pack(lows: number, count: number, out: number): void;
  textMap(src: number, count: number, dst: number): void;
}

let instance: PlanePacker | undefined;

export class PlanePacker {
  /** The block's low bytes: callers may write the carried elements' at the start. */
  readonly lows: Uint8Array;
  private readonly input: AlignedArea;
  /** The packer's area, from its address `base` in its buffer (the KernelMemory's with the kernel). */
  private readonly memory: Uint8Array;
  private readonly base: number;
  private readonly map: Uint32Array;

  /** The process's packer: the kernel, or the JavaScript loops where SIMD is missing. */
  static get(): PlanePacker {
    if (instance === undefined) {
      const kernel = instantiateKernel<Kernel>(LOW_BIT_PLANES_WASM);
      const memory = KernelMemory.get();
      instance = kernel && memory ? new PlanePacker(kernel, memory) : new PlanePacker(null, null);
    }
    return instance;
  }

  private constructor(
    private readonly kernel: Kernel | null,
    shared: KernelMemory | null,
  ) {
    this.base = shared ? shared.reserve(MEMORY_BYTES) : 0;
    const buffer = shared ? shared.buffer : new ArrayBuffer(MEMORY_BYTES);
    const base = this.base;
    this.memory = new Uint8Array(buffer, base, MEMORY_BYTES);
    this.input = new AlignedArea(buffer, base + INPUT, INPUT_BYTES - 8);
    this.lows = new Uint8Array(buffer, base + LOWS, LOWS_BYTES);
    this.map = new Uint32Array(buffer, base + TEXT_MAP, TEXT_MAP_BYTES / 4);
  }

  /** Whether the SIMD kernel runs (tests compare it with the loops). */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /**
   * The low byte of each of the `count` (≤ BLOCK_ELEMENTS) `stride`-byte little-endian words of
   * `words` into `lows` from `at` (≤ 8).
   */
  gather(words: Uint8Array, stride: number, count: number, at: number): void {
    const lows = this.lows;
    if (stride === 1) {
      lows.set(words.subarray(0, count), at);
      return;
    }
    const kernel = this.kernel;
    if (kernel && (stride === 4 || stride === 2)) {
      // In place in a chunk of the KernelMemory, or copied at the words' own alignment (AlignedArea).
      const address = this.input.copy(words.subarray(0, count * stride));
      (stride === 4 ? kernel.gather4 : kernel.gather2)(address, count, this.base + LOWS + at);
      return;
    }
    if (stride === 4 && (words.byteOffset & 3) === 0) {
      // A word's low byte is its value modulo 256: the typed-array store truncates.
      const wide = new Uint32Array(words.buffer, words.byteOffset, count);
      for (let element = 0; element < count; element++) lows[at + element] = wide[element]!;
      return;
    }
    for (let element = 0; element < count; element++) lows[at + element] = words[element * stride]!;
  }

  /** Packs the 1, 2 and 4-bit planes of the first `count` (≤ BLOCK_ELEMENTS + 8) low bytes. */
  pack(count: number): void {
    if (this.kernel) this.kernel.pack(this.base + LOWS, count, this.base + PLANES);
    else packPlanes(this.memory, LOWS, count, PLANES);
  }

  /** A plane's first `length` bytes from the last `pack` (8 bits: the low bytes), valid until the next block. */
  planeBytes(bits: 1 | 2 | 4 | 8, msbFirst: boolean, length: number): Uint8Array {
    if (bits === 8) return this.lows.subarray(0, length);
    const key = `${bits}${msbFirst ? "msb" : "lsb"}` as keyof typeof PLANE_OFFSETS;
    return this.memory.subarray(PLANES + PLANE_OFFSETS[key], PLANES + PLANE_OFFSETS[key] + length);
  }

  /**
   * Which of a plane's bytes from `planeBytes` are printable ASCII (0x20..0x7e): bit i % 32 of
   * word i / 32, from the kernel (16 bytes a step); the words past the bytes' end mean nothing.
   * Null without the kernel or for other bytes. Valid until the next call.
   */
  textMap(bytes: Uint8Array): Uint32Array | null {
    const kernel = this.kernel;
    if (
      kernel === null ||
      !LITTLE_ENDIAN ||
      bytes.buffer !== this.memory.buffer ||
      bytes.length > 8 * (TEXT_MAP_BYTES - 8)
    )
      return null;
    kernel.textMap(bytes.byteOffset, bytes.length, this.base + TEXT_MAP);
    return this.map.subarray(0, (bytes.length + 31) >>> 5);
  }
}

/**
 * Packing multipliers: `Math.imul(w & lowBits, M) >>> 24` moves the low bits of the four bytes of a
 * little-endian word w into one group in the top byte, each to its place, because every other
 * product term lands on bits no other term uses (below bit 24, or past bit 31 and dropped): no
 * carries, no collisions. Four 1-bit values make a nibble, four 2-bit values a byte.
 */
const NIBBLE_MSB_FIRST = 0x08040201; // bytes 0..3 to bits 27, 26, 25, 24
const NIBBLE_LSB_FIRST = 0x01020408; // bytes 0..3 to bits 24, 25, 26, 27
const PAIRS_MSB_FIRST = 0x40100401; // 2-bit groups of bytes 0..3 to bits 30, 28, 26, 24
const PAIRS_LSB_FIRST = 0x01041040; // 2-bit groups of bytes 0..3 to bits 24, 26, 28, 30

/** The kernel's `pack` in JavaScript, 8 elements (two 32-bit words) a step; `lows` and `out` are 4-aligned. */
function packPlanes(memory: Uint8Array, lows: number, count: number, out: number): void {
  const groups = (count + 7) >>> 3;
  const at = memory.byteOffset;
  const words = new Uint32Array(memory.buffer, at + lows, 2 * groups);
  // The 2-bit planes a 16-bit word per step, the 4-bit planes a 32-bit word.
  const pairsMsb = new Uint16Array(memory.buffer, at + out + 2 * P1, groups);
  const pairsLsb = new Uint16Array(memory.buffer, at + out + 4 * P1, groups);
  const nibblesMsb = new Uint32Array(memory.buffer, at + out + 6 * P1, groups);
  const nibblesLsb = new Uint32Array(memory.buffer, at + out + 10 * P1, groups);
  for (let group = 0; group < groups; group++) {
    const first = words[2 * group]!;
    const second = words[2 * group + 1]!;
    const bitsFirst = first & 0x01010101;
    const bitsSecond = second & 0x01010101;
    memory[out + group] =
      ((Math.imul(bitsFirst, NIBBLE_MSB_FIRST) >>> 24) << 4) | (Math.imul(bitsSecond, NIBBLE_MSB_FIRST) >>> 24);
    memory[out + P1 + group] =
      (Math.imul(bitsFirst, NIBBLE_LSB_FIRST) >>> 24) | ((Math.imul(bitsSecond, NIBBLE_LSB_FIRST) >>> 24) << 4);
    pairsMsb[group] =
      (Math.imul(first & 0x03030303, PAIRS_MSB_FIRST) >>> 24) |
      ((Math.imul(second & 0x03030303, PAIRS_MSB_FIRST) >>> 24) << 8);
    pairsLsb[group] =
      (Math.imul(first & 0x03030303, PAIRS_LSB_FIRST) >>> 24) |
      ((Math.imul(second & 0x03030303, PAIRS_LSB_FIRST) >>> 24) << 8);
    nibblesMsb[group] = nibbleBytes(first, true) | (nibbleBytes(second, true) << 16);
    nibblesLsb[group] = nibbleBytes(first, false) | (nibbleBytes(second, false) << 16);
  }
}

/**
 * The 4-bit plane's two bytes from a little-endian word of four low bytes e0..e3: e0 e1 and e2 e3,
 * each pair's first in the high nibble (msb-first) or the low one, as a 16-bit little-endian word.
 */
function nibbleBytes(word: number, msbFirst: boolean): number {
  const x = word & 0x0f0f0f0f;
  const pairs = msbFirst ? ((x << 4) & 0x00f000f0) | ((x >>> 8) & 0x000f000f) : (x | (x >>> 4)) & 0x00ff00ff;
  return (pairs & 0xff) | ((pairs >>> 8) & 0xff00);
}
