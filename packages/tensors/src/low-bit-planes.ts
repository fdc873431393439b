/**
 * The low k bits of consecutive tensor elements (k = 1, 2, 4 or 8) packed into bytes: the planes a
 * steganography tool writes a payload into, k bits per weight. Generalises LowBitStreams (which
 * packs the least significant bit only) to several bits per element.
 *
 * Each element's low k bits are the low bits of its word's first byte in memory (words are
 * little-endian), so k ≤ 8 reads one byte per element. 8 / k elements fill one byte, in one of two
 * orders:
 * - `msb-first`: the first element's k bits in the byte's top bits (numpy `packbits` order: a tool
 *   that unpacks the payload most significant bit first and writes k bits per element).
 * - `lsb-first`: the first element's k bits in the byte's bottom bits (`bitorder="little"`).
 * At k = 8 both orders are the same byte (the low byte of each element); only `msb-first` is asked.
 * Elements past the last whole byte are not emitted.
 */

import type { TensorConsumer, TensorDType } from "@modelaudit/core";
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
  /** Every plane byte as it is assembled, in batches (valid only during the call). */
  onBytes?: (plane: number, bytes: Uint8Array) => void;
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

/** For each k, each byte with its k-bit groups in the opposite order: the lsb-first byte from the msb-first one. */
const REVERSED_GROUPS: Record<LowBitDepth, Uint8Array> = { 1: table(1), 2: table(2), 4: table(4), 8: table(8) };

function table(bits: number): Uint8Array {
  const out = new Uint8Array(256);
  const groups = 8 / bits;
  const mask = (1 << bits) - 1;
  for (let byte = 0; byte < 256; byte++) {
    let reversed = 0;
    for (let group = 0; group < groups; group++) {
      reversed |= ((byte >> (group * bits)) & mask) << ((groups - 1 - group) * bits);
    }
    out[byte] = reversed;
  }
  return out;
}

/** One scratch buffer per depth serves every tensor: emits are synchronous. */
const scratch = new Map<number, Uint8Array>();

function reserve(key: number, length: number): Uint8Array {
  let buffer = scratch.get(key);
  if (!buffer || buffer.length < length) {
    buffer = new Uint8Array(Math.max(length, (buffer?.length ?? 0) * 2));
    scratch.set(key, buffer);
  }
  return buffer;
}

interface Depth {
  bits: LowBitDepth;
  /** Indices of the planes of this depth, by order. */
  msb: number;
  lsb: number;
  /** Bits gathered toward the next msb-first byte. */
  acc: number;
  filled: number;
}

/**
 * Assembles low-bit planes of one tensor as its chunks arrive (a TensorConsumer), keeping the first
 * `window` bytes of each and handing every byte to `onBytes`.
 */
export class LowBitPlanes implements TensorConsumer {
  readonly wordBytes: number;
  readonly planes: readonly LowBitPlane[];
  private readonly kept_: Uint8Array[];
  private readonly keptLength: number[];
  private readonly produced_: number[];
  private readonly depths: Depth[] = [];
  private readonly onBytes: LowBitPlaneOptions["onBytes"];
  complete: boolean | null = null;

  /** Throws for dtypes without a per-element word (check `lowWordBytes` first). */
  constructor(dtype: TensorDType, options: LowBitPlaneOptions) {
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null) throw new RangeError(`no per-element words in ${dtype} data`);
    this.wordBytes = wordBytes;
    this.planes = options.planes;
    const window = options.window ?? 64 * 1024;
    this.kept_ = options.planes.map(() => new Uint8Array(window));
    this.keptLength = options.planes.map(() => 0);
    this.produced_ = options.planes.map(() => 0);
    this.onBytes = options.onBytes;
    options.planes.forEach((plane, index) => {
      let depth = this.depths.find((candidate) => candidate.bits === plane.bits);
      if (!depth) {
        depth = { bits: plane.bits, msb: -1, lsb: -1, acc: 0, filled: 0 };
        this.depths.push(depth);
      }
      if (plane.order === "msb-first" || plane.bits === 8) depth.msb = index;
      else depth.lsb = index;
    });
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
    const stride = this.wordBytes;
    const words = Math.floor(chunk.length / stride);
    for (const depth of this.depths) {
      const k = depth.bits;
      const mask = (1 << k) - 1;
      const out = reserve(k, Math.ceil((depth.filled + words * k) / 8));
      let acc = depth.acc;
      let filled = depth.filled;
      let length = 0;
      const end = words * stride;
      for (let at = 0; at < end; at += stride) {
        acc = (acc << k) | (chunk[at]! & mask);
        filled += k;
        if (filled === 8) {
          out[length++] = acc;
          acc = 0;
          filled = 0;
        }
      }
      depth.acc = acc;
      depth.filled = filled;
      if (length === 0) continue;
      const bytes = out.subarray(0, length);
      if (depth.msb >= 0) this.emit(depth.msb, bytes);
      if (depth.lsb >= 0) {
        const reversed = REVERSED_GROUPS[k];
        for (let index = 0; index < length; index++) out[index] = reversed[out[index]!]!;
        this.emit(depth.lsb, bytes);
      }
    }
  }

  end(complete: boolean): void {
    if (this.complete === null) this.complete = complete;
  }

  private emit(plane: number, bytes: Uint8Array): void {
    const kept = this.kept_[plane] as Uint8Array;
    const have = this.keptLength[plane] as number;
    if (have < kept.length) {
      const take = Math.min(bytes.length, kept.length - have);
      kept.set(bytes.subarray(0, take), have);
      this.keptLength[plane] = have + take;
    }
    this.produced_[plane] = (this.produced_[plane] as number) + bytes.length;
    this.onBytes?.(plane, bytes);
  }
}
