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
 * The planes are packed whole, a block of elements at a time, by `PlanePacker` (a SIMD kernel):
 * each plane's bytes from a chunk are offered as one array, and the first `window` bytes of each
 * are kept.
 */

import type { TensorConsumer, TensorDType } from "@modelaudit/core";
import { BufferPool } from "./buffer-pool.js";
import { lowWordBytes } from "./low-bits.js";
import { BLOCK_ELEMENTS, PlanePacker } from "./plane-packer.js";

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

/** A plane's bytes from a chunk (a view of the packer's buffer: valid only during `onPlane`). */
export type PlaneBytes = Uint8Array;

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
      // Windows from a quarter of the full size up are (the start of) a pooled one: a 1-bit plane
      // of a tensor read in part has half the window. A small tensor's are its own size.
      return size >= window / 4 ? BufferPool.of(window).take().subarray(0, size) : new Uint8Array(size);
    });
    this.keptLength = options.planes.map(() => 0);
    this.produced_ = options.planes.map(() => 0);
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
    const packer = PlanePacker.get();
    // Blocks the packer's buffers hold, each after the last one's leftover elements.
    for (let done = 0; done < words; ) {
      const count = Math.min(words - done, BLOCK_ELEMENTS);
      packer.lows.set(this.carry.subarray(0, this.carried));
      packer.gather(chunk.subarray(done * stride, (done + count) * stride), stride, count, this.carried);
      const total = this.carried + count;
      // Every plane reads whole groups of 8 elements, so all of them end on a byte together.
      const whole = total - (total % 8);
      this.offer(packer, whole);
      this.carried = total - whole;
      this.carry.set(packer.lows.subarray(whole, total));
      done += count;
    }
  }

  end(complete: boolean): void {
    if (this.complete !== null) return;
    // The last elements fill whole bytes of the deeper planes (4 elements a 2-bit byte, 2 a 4-bit one).
    if (this.carried > 0) {
      const packer = PlanePacker.get();
      packer.lows.set(this.carry.subarray(0, this.carried));
      this.offer(packer, this.carried);
    }
    this.carried = 0;
    this.complete = complete;
  }

  /** Gives the kept windows back for later tensors: `kept` is empty after. */
  release(): void {
    for (const [plane, kept] of this.kept_.entries()) {
      BufferPool.giveBack(new Uint8Array(kept.buffer));
      this.kept_[plane] = new Uint8Array(0);
      this.keptLength[plane] = 0;
    }
  }

  /** Packs the packer's first `elements` low bytes and offers each plane's bytes. */
  private offer(packer: PlanePacker, elements: number): void {
    packer.pack(elements);
    for (const [index, plane] of this.planes.entries()) {
      const bytes = packer.planeBytes(
        plane.bits,
        plane.bits === 8 || plane.order === "msb-first",
        (elements * plane.bits) >> 3,
      );
      if (bytes.length === 0) continue;
      this.keep(index, bytes);
      this.produced_[index] = (this.produced_[index] as number) + bytes.length;
      this.onPlane?.(index, bytes);
    }
  }

  private keep(plane: number, bytes: Uint8Array): void {
    const kept = this.kept_[plane] as Uint8Array;
    const have = this.keptLength[plane] as number;
    const take = Math.min(bytes.length, kept.length - have);
    if (take > 0) kept.set(bytes.subarray(0, take), have);
    this.keptLength[plane] = have + take;
  }
}

/**
 * Which bytes of plane bytes offered to `onPlane` are printable ASCII (0x20..0x7e), for a text
 * search that skips what cannot hold text: bit i % 32 of word i / 32 (the words past the bytes'
 * end mean nothing), from the SIMD kernel; null without it. Valid during the `onPlane` call.
 */
export function printableBits(bytes: PlaneBytes): Uint32Array | null {
  return PlanePacker.get().textMap(bytes);
}
