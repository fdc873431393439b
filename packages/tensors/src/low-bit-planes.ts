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
  /** The tensor's data size when known: no plane keeps more than it can produce. */
  dataBytes?: number;
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
  /** Elements read so far: where the next chunk starts in the 8-element groups. */
  private elements = 0;
  complete: boolean | null = null;

  /** Throws for dtypes without a per-element word (check `lowWordBytes` first). */
  constructor(dtype: TensorDType, options: LowBitPlaneOptions) {
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null) throw new RangeError(`no per-element words in ${dtype} data`);
    this.wordBytes = wordBytes;
    this.planes = options.planes;
    const window = options.window ?? 64 * 1024;
    const words = Math.floor((options.dataBytes ?? Number.POSITIVE_INFINITY) / wordBytes);
    this.kept_ = options.planes.map((plane) => new Uint8Array(Math.min(window, Math.ceil((words * plane.bits) / 8))));
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
    const outs = this.depths.map((depth) => reserve(depth.bits, Math.ceil((depth.filled + words * depth.bits) / 8)));
    const lengths = this.depths.map(() => 0);
    // Up to the next multiple of 8 elements one at a time (every depth then ends on a byte), then
    // 8 elements at a time with each element's byte read once for all depths, then the rest.
    const head = Math.min(words, (8 - (this.elements % 8)) % 8);
    this.each(chunk, 0, head, outs, lengths);
    const groups = Math.floor((words - head) / 8);
    this.groups(chunk, head, groups, outs, lengths);
    this.each(chunk, head + groups * 8, words, outs, lengths);
    this.elements += words;
    for (const [index, depth] of this.depths.entries()) {
      const length = lengths[index] as number;
      if (length === 0) continue;
      const out = outs[index] as Uint8Array;
      const bytes = out.subarray(0, length);
      if (depth.msb >= 0) this.emit(depth.msb, bytes);
      if (depth.lsb >= 0) {
        const reversed = REVERSED_GROUPS[depth.bits];
        for (let at = 0; at < length; at++) out[at] = reversed[out[at]!]!;
        this.emit(depth.lsb, bytes);
      }
    }
  }

  /** Elements [from, to) one at a time, into each depth's byte under construction. */
  private each(chunk: Uint8Array, from: number, to: number, outs: Uint8Array[], lengths: number[]): void {
    const stride = this.wordBytes;
    for (const [index, depth] of this.depths.entries()) {
      const k = depth.bits;
      const mask = (1 << k) - 1;
      const out = outs[index] as Uint8Array;
      let length = lengths[index] as number;
      let acc = depth.acc;
      let filled = depth.filled;
      for (let element = from; element < to; element++) {
        acc = (acc << k) | (chunk[element * stride]! & mask);
        filled += k;
        if (filled === 8) {
          out[length++] = acc;
          acc = 0;
          filled = 0;
        }
      }
      depth.acc = acc;
      depth.filled = filled;
      lengths[index] = length;
    }
  }

  /** `groups` runs of 8 elements from `from`, every depth starting on a byte boundary. */
  private groups(chunk: Uint8Array, from: number, groups: number, outs: Uint8Array[], lengths: number[]): void {
    if (groups === 0) return;
    const s = this.wordBytes;
    const find = (bits: number) => this.depths.findIndex((depth) => depth.bits === bits);
    const [i1, i2, i4, i8] = [find(1), find(2), find(4), find(8)];
    const o1 = outs[i1];
    const o2 = outs[i2];
    const o4 = outs[i4];
    const o8 = outs[i8];
    let l1 = lengths[i1] ?? 0;
    let l2 = lengths[i2] ?? 0;
    let l4 = lengths[i4] ?? 0;
    let l8 = lengths[i8] ?? 0;
    for (let group = 0, at = from * s; group < groups; group++, at += 8 * s) {
      const b0 = chunk[at]!;
      const b1 = chunk[at + s]!;
      const b2 = chunk[at + 2 * s]!;
      const b3 = chunk[at + 3 * s]!;
      const b4 = chunk[at + 4 * s]!;
      const b5 = chunk[at + 5 * s]!;
      const b6 = chunk[at + 6 * s]!;
      const b7 = chunk[at + 7 * s]!;
      if (o1) {
        o1[l1++] =
          ((b0 & 1) << 7) |
          ((b1 & 1) << 6) |
          ((b2 & 1) << 5) |
          ((b3 & 1) << 4) |
          ((b4 & 1) << 3) |
          ((b5 & 1) << 2) |
          ((b6 & 1) << 1) |
          (b7 & 1);
      }
      if (o2) {
        o2[l2++] = ((b0 & 3) << 6) | ((b1 & 3) << 4) | ((b2 & 3) << 2) | (b3 & 3);
        o2[l2++] = ((b4 & 3) << 6) | ((b5 & 3) << 4) | ((b6 & 3) << 2) | (b7 & 3);
      }
      if (o4) {
        o4[l4++] = ((b0 & 15) << 4) | (b1 & 15);
        o4[l4++] = ((b2 & 15) << 4) | (b3 & 15);
        o4[l4++] = ((b4 & 15) << 4) | (b5 & 15);
        o4[l4++] = ((b6 & 15) << 4) | (b7 & 15);
      }
      if (o8) {
        o8[l8++] = b0;
        o8[l8++] = b1;
        o8[l8++] = b2;
        o8[l8++] = b3;
        o8[l8++] = b4;
        o8[l8++] = b5;
        o8[l8++] = b6;
        o8[l8++] = b7;
      }
    }
    if (i1 >= 0) lengths[i1] = l1;
    if (i2 >= 0) lengths[i2] = l2;
    if (i4 >= 0) lengths[i4] = l4;
    if (i8 >= 0) lengths[i8] = l8;
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
