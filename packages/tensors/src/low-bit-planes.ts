/**
 * The low k bits of consecutive tensor elements (k = 1, 2, 4 or 8) packed into bytes: the planes a
 * steganography tool writes a payload into, k bits per weight.
 *
 * Each element's low k bits are the low bits of its word's first byte in memory (words are
 * little-endian), so k ≤ 8 reads one byte per element. 8 / k elements fill one byte, in one of two
 * orders:
 * - `msb-first`: the first element's k bits in the byte's top bits (numpy `packbits` order: a tool
 *   that unpacks the payload most significant bit first and writes k bits per element).
 * - `lsb-first`: the first element's k bits in the byte's bottom bits (`bitorder="little"`).
 * At k = 8 both orders are the same byte (the low byte of each element); only `msb-first` is asked.
 * Elements past the last whole byte are not emitted.
 *
 * Planes are not assembled: a chunk's elements' low bytes are gathered once (one strided copy), and
 * each plane is offered as a `PlaneBytes` view that computes a byte when asked. A reader that skips
 * ahead (a text search looks at one byte in 64 of random bits) then costs what it reads, not seven
 * planes' worth of packing; only the first `window` bytes of each plane are materialised.
 */

import type { TensorConsumer, TensorDType } from "@modelaudit/core";
import { BufferPool } from "./buffer-pool.js";
import { lowWordBytes } from "./low-bits.js";

export type LowBitDepth = 1 | 2 | 4 | 8;
export type LowBitOrder = "msb-first" | "lsb-first";

export interface LowBitPlane {
  bits: LowBitDepth;
  order: LowBitOrder;
}

export interface LowBitPlaneOptions {
  /** The planes to assemble, in the order `kept`, `produced` and `onBytes` index them. */
  planes: readonly LowBitPlane[];
  /** Bytes kept at the start of each plane (default 64 KiB). */
  window?: number;
  /** The tensor's data size when known: no plane keeps more than it can produce. */
  dataBytes?: number;
  /** Each plane's bytes from a chunk, in order, as a view valid only during the call. */
  onPlane?: (plane: number, bytes: PlaneBytes) => void;
}

/** Bytes of a plane computed on demand: `at(i)` for 0 ≤ i < length. */
export interface PlaneBytes {
  readonly length: number;
  at(index: number): number;
}

/** The planes worth reading for a dtype: depths up to half the word (a whole byte of an 8-bit value is the value), both orders below 8. */
export function lowBitPlanesFor(dtype: TensorDType): LowBitPlane[] {
  const wordBytes = lowWordBytes(dtype);
  if (wordBytes === null) return [];
  const planes: LowBitPlane[] = [];
  for (const bits of [1, 2, 4, 8] as const) {
    if (bits > wordBytes * 4) continue;
    planes.push({ bits, order: "msb-first" });
    if (bits < 8) planes.push({ bits, order: "lsb-first" });
  }
  return planes;
}

const DEFAULT_WINDOW = 64 * 1024;

/** Low bytes of a chunk's elements (and the previous chunk's leftovers): one buffer serves every tensor, reads are synchronous. */
let gathered = new Uint8Array(0);

function gatherBuffer(length: number): Uint8Array {
  if (gathered.length < length) gathered = new Uint8Array(Math.max(length, gathered.length * 2));
  return gathered;
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

/** One plane's bytes over gathered low bytes: byte j is elements [j·8/k, (j+1)·8/k). */
class PlaneView implements PlaneBytes {
  length = 0;
  private lows: Uint8Array = new Uint8Array(0);
  /** The low bytes four at a time (the gather buffer starts word-aligned); null when they do not. */
  private words: Uint32Array | null = null;
  private readonly multiplier: number;

  constructor(
    readonly bits: LowBitDepth,
    readonly msbFirst: boolean,
  ) {
    this.multiplier =
      bits === 1
        ? msbFirst
          ? NIBBLE_MSB_FIRST
          : NIBBLE_LSB_FIRST
        : bits === 2
          ? msbFirst
            ? PAIRS_MSB_FIRST
            : PAIRS_LSB_FIRST
          : 0;
  }

  over(lows: Uint8Array, elements: number): this {
    if (lows !== this.lows) {
      this.lows = lows;
      this.words = lows.byteOffset % 4 === 0 ? new Uint32Array(lows.buffer, lows.byteOffset, lows.length >> 2) : null;
    }
    this.length = (elements * this.bits) >> 3;
    return this;
  }

  /** Bytes 0 .. out.length into `out` (the plane's first window). */
  copy(out: Uint8Array): void {
    const length = out.length;
    if (this.bits === 8) {
      out.set(this.lows.subarray(0, length));
      return;
    }
    const words = this.words;
    if (words === null || this.bits === 4) {
      for (let index = 0; index < length; index++) out[index] = this.at(index);
      return;
    }
    const multiplier = this.multiplier;
    if (this.bits === 2) {
      for (let index = 0; index < length; index++)
        out[index] = Math.imul(words[index]! & 0x03030303, multiplier) >>> 24;
      return;
    }
    const msbFirst = this.msbFirst;
    for (let index = 0, word = 0; index < length; index++, word += 2) {
      const first = Math.imul(words[word]! & 0x01010101, multiplier) >>> 24;
      const second = Math.imul(words[word + 1]! & 0x01010101, multiplier) >>> 24;
      out[index] = msbFirst ? (first << 4) | second : first | (second << 4);
    }
  }

  at(index: number): number {
    const lows = this.lows;
    const words = this.words;
    switch (this.bits) {
      case 8:
        return lows[index]!;
      case 4: {
        const first = lows[2 * index]! & 15;
        const second = lows[2 * index + 1]! & 15;
        return this.msbFirst ? (first << 4) | second : first | (second << 4);
      }
      case 2:
        if (words !== null) return Math.imul(words[index]! & 0x03030303, this.multiplier) >>> 24;
        return this.slowAt(index);
      default: {
        if (words === null) return this.slowAt(index);
        const first = Math.imul(words[2 * index]! & 0x01010101, this.multiplier) >>> 24;
        const second = Math.imul(words[2 * index + 1]! & 0x01010101, this.multiplier) >>> 24;
        return this.msbFirst ? (first << 4) | second : first | (second << 4);
      }
    }
  }

  /** Byte `index` element by element (low bytes not word-aligned). */
  private slowAt(index: number): number {
    const lows = this.lows;
    const k = this.bits;
    const mask = (1 << k) - 1;
    const perByte = 8 / k;
    const base = index * perByte;
    let byte = 0;
    if (this.msbFirst) for (let at = base; at < base + perByte; at++) byte = (byte << k) | (lows[at]! & mask);
    else for (let at = base + perByte - 1; at >= base; at--) byte = (byte << k) | (lows[at]! & mask);
    return byte;
  }
}

/**
 * The low-bit planes of one tensor as its chunks arrive (a TensorConsumer): the first `window`
 * bytes of each kept, every plane's bytes offered to `onPlane` as a view.
 */
export class LowBitPlanes implements TensorConsumer {
  readonly wordBytes: number;
  readonly planes: readonly LowBitPlane[];
  private readonly kept_: Uint8Array[];
  private readonly keptLength: number[];
  private readonly produced_: number[];
  private readonly views: PlaneView[];
  private readonly onPlane: LowBitPlaneOptions["onPlane"];
  /** Low bytes of the last elements that did not fill a byte of every plane (fewer than 8). */
  private readonly carry = new Uint8Array(8);
  private carried = 0;
  complete: boolean | null = null;

  /** Throws for dtypes without a per-element word (check `lowWordBytes` first). */
  constructor(dtype: TensorDType, options: LowBitPlaneOptions) {
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null) throw new RangeError(`no per-element words in ${dtype} data`);
    this.wordBytes = wordBytes;
    this.planes = options.planes;
    const window = options.window ?? DEFAULT_WINDOW;
    const words = Math.floor((options.dataBytes ?? Number.POSITIVE_INFINITY) / wordBytes);
    this.kept_ = options.planes.map((plane) => {
      const size = Math.min(window, Math.ceil((words * plane.bits) / 8));
      // Full-size windows come from the pool; a small tensor's are its own size.
      return size === window ? BufferPool.of(window).take() : new Uint8Array(size);
    });
    this.keptLength = options.planes.map(() => 0);
    this.produced_ = options.planes.map(() => 0);
    this.views = options.planes.map(
      (plane) => new PlaneView(plane.bits, plane.bits === 8 || plane.order === "msb-first"),
    );
    this.onPlane = options.onPlane;
  }

  /** The first bytes of a plane (up to the window). */
  kept(plane: number): Uint8Array {
    return (this.kept_[plane] as Uint8Array).subarray(0, this.keptLength[plane]);
  }

  /** Bytes a plane has produced in all. */
  produced(plane: number): number {
    return this.produced_[plane] ?? 0;
  }

  /** Whole words, in order; a trailing partial word is ignored. */
  data(chunk: Uint8Array, _offset = 0): void {
    if (this.complete !== null) return;
    const stride = this.wordBytes;
    const words = Math.floor(chunk.length / stride);
    const total = this.carried + words;
    const lows = gatherBuffer(total);
    lows.set(this.carry.subarray(0, this.carried));
    if (stride === 1) lows.set(chunk.subarray(0, words), this.carried);
    else if (stride === 4 && (chunk.byteOffset & 3) === 0) {
      // A word's low byte is its value modulo 256: the typed-array store truncates.
      const wide = new Uint32Array(chunk.buffer, chunk.byteOffset, words);
      for (let element = 0, at = this.carried; element < words; element++, at++) lows[at] = wide[element]!;
    } else
      for (let element = 0, at = this.carried; element < words; element++, at++) lows[at] = chunk[element * stride]!;
    // Every plane reads whole groups of 8 elements, so all of them end on a byte together.
    const whole = total - (total % 8);
    this.offer(lows, whole);
    this.carried = total - whole;
    this.carry.set(lows.subarray(whole, total));
  }

  end(complete: boolean): void {
    if (this.complete !== null) return;
    // The last elements fill whole bytes of the deeper planes (4 elements a 2-bit byte, 2 a 4-bit one).
    if (this.carried > 0) this.offer(this.carry, this.carried);
    this.carried = 0;
    this.complete = complete;
  }

  /** Gives the kept windows back for later tensors: `kept` is empty after. */
  release(): void {
    for (const [plane, kept] of this.kept_.entries()) {
      BufferPool.giveBack(kept);
      this.kept_[plane] = new Uint8Array(0);
      this.keptLength[plane] = 0;
    }
  }

  private offer(lows: Uint8Array, elements: number): void {
    for (let plane = 0; plane < this.views.length; plane++) {
      const view = (this.views[plane] as PlaneView).over(lows, elements);
      if (view.length === 0) continue;
      this.keep(plane, view);
      this.produced_[plane] = (this.produced_[plane] as number) + view.length;
      this.onPlane?.(plane, view);
    }
  }

  private keep(plane: number, view: PlaneView): void {
    const kept = this.kept_[plane] as Uint8Array;
    const have = this.keptLength[plane] as number;
    const take = Math.min(view.length, kept.length - have);
    if (take > 0) view.copy(kept.subarray(have, have + take));
    this.keptLength[plane] = have + take;
  }
}
