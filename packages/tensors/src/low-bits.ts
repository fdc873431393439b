/**
 * The low-order bits of consecutive tensor elements as byte streams: where steganography hides a
 * payload in weights (one bit or one byte per value changes a weight by noise-level precision).
 *
 * The "word" of an element is its raw little-endian integer (a float's bit pattern); for complex
 * types each component is a word. A word's low byte is its first byte in memory, and its least
 * significant bit is that byte's bit 0, so every stream is read straight from the chunk's bytes.
 *
 * Three streams, as detector-weights extracted them:
 * - `lsb-msb-first`: each word's LSB, 8 to a byte, the first word in the byte's most significant bit.
 * - `lsb-lsb-first`: the same bits, the first word in the byte's least significant bit.
 * - `low-byte`: each word's low byte.
 * Bits past the last whole byte (fewer than 8 trailing words) are not emitted.
 */

import { dtypeInfo, type TensorConsumer, type TensorDType } from "@modelaudit/core";

export type LowBitStreamKind = "lsb-msb-first" | "lsb-lsb-first" | "low-byte";

export const LOW_BIT_STREAMS: readonly LowBitStreamKind[] = ["lsb-msb-first", "lsb-lsb-first", "low-byte"];

/** Bytes kept at the start of each stream by default: a payload's header sits at its start. */
export const DEFAULT_LOW_BIT_WINDOW = 64 * 1024;

/** Bytes per word for the low-bit view of a dtype; null for block-quantized and opaque data (no per-element word). */
export function lowWordBytes(dtype: TensorDType): number | null {
  const info = dtypeInfo(dtype);
  if (info.class === "quantized" || info.class === "opaque") return null;
  return info.class === "complex" ? info.blockBytes / 2 : info.blockBytes;
}

export interface LowBitOptions {
  /** Bytes kept at the start of each stream (default 64 KiB). */
  window?: number;
  /** Which streams to assemble (default: all three). */
  streams?: readonly LowBitStreamKind[];
  /** Every stream byte as it is assembled, in batches (the array is only valid during the call). */
  onBytes?: (kind: LowBitStreamKind, bytes: Uint8Array) => void;
}

/**
 * The bytes a stream produces from one chunk, handed to `onBytes` and then dead: one scratch buffer
 * per stream kind serves every tensor (emits are synchronous), so a model's hundreds of tensors do
 * not each hold a chunk-sized buffer.
 */
const scratch = new Map<LowBitStreamKind, Uint8Array>();

class Stream {
  readonly kept: Uint8Array;
  keptLength = 0;
  produced = 0;

  constructor(
    readonly kind: LowBitStreamKind,
    window: number,
  ) {
    this.kept = new Uint8Array(window);
  }

  reserve(length: number): Uint8Array {
    let batch = scratch.get(this.kind);
    if (!batch || batch.length < length) {
      batch = new Uint8Array(Math.max(length, (batch?.length ?? 0) * 2));
      scratch.set(this.kind, batch);
    }
    return batch;
  }

  emit(length: number, onBytes: LowBitOptions["onBytes"]): void {
    if (length === 0) return;
    const bytes = (scratch.get(this.kind) as Uint8Array).subarray(0, length);
    if (this.keptLength < this.kept.length) {
      const take = Math.min(length, this.kept.length - this.keptLength);
      this.kept.set(bytes.subarray(0, take), this.keptLength);
      this.keptLength += take;
    }
    this.produced += length;
    onBytes?.(this.kind, bytes);
  }
}

/**
 * Assembles the low-bit streams of one tensor as its chunks arrive (a TensorConsumer, or fed by
 * hand with whole words in order), keeping the first `window` bytes of each and passing every byte to
 * `onBytes`.
 */
/** Each byte with its bits in the opposite order: the least-significant-first stream from the most-first one. */
const REVERSED_BITS = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  let reversed = 0;
  for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) reversed |= 0x80 >> bit;
  REVERSED_BITS[byte] = reversed;
}

export class LowBitStreams implements TensorConsumer {
  readonly wordBytes: number;
  private readonly streams: Map<LowBitStreamKind, Stream>;
  private readonly onBytes: LowBitOptions["onBytes"];
  /** LSBs gathered toward the next byte of both bit streams. */
  private mostFirst = 0;
  private leastFirst = 0;
  private bits = 0;
  complete: boolean | null = null;

  /** Throws for dtypes without a per-element word (check `lowWordBytes` first). */
  constructor(dtype: TensorDType, options: LowBitOptions = {}) {
    const wordBytes = lowWordBytes(dtype);
    if (wordBytes === null) throw new RangeError(`no per-element words in ${dtype} data`);
    this.wordBytes = wordBytes;
    const window = options.window ?? DEFAULT_LOW_BIT_WINDOW;
    const kinds = options.streams ?? LOW_BIT_STREAMS;
    this.streams = new Map(kinds.map((kind) => [kind, new Stream(kind, window)]));
    this.onBytes = options.onBytes;
  }

  /** The first bytes of a stream (up to the window); empty for a stream not asked for. */
  kept(kind: LowBitStreamKind): Uint8Array {
    const stream = this.streams.get(kind);
    return stream ? stream.kept.subarray(0, stream.keptLength) : new Uint8Array(0);
  }

  /** Bytes a stream has produced in all (kept or not). */
  produced(kind: LowBitStreamKind): number {
    return this.streams.get(kind)?.produced ?? 0;
  }

  /** Whole words, in order; a trailing partial word is ignored. */
  data(chunk: Uint8Array, _offset = 0): void {
    const stride = this.wordBytes;
    const words = Math.floor(chunk.length / stride);
    const lowByte = this.streams.get("low-byte");
    if (lowByte) {
      const out = lowByte.reserve(words);
      for (let word = 0, at = 0; word < words; word++, at += stride) out[word] = chunk[at]!;
      lowByte.emit(words, this.onBytes);
    }
    const msb = this.streams.get("lsb-msb-first");
    const lsb = this.streams.get("lsb-lsb-first");
    if (msb || lsb) this.packBits(chunk, words, msb, lsb);
  }

  end(complete: boolean): void {
    if (this.complete === null) this.complete = complete;
  }

  private packBits(chunk: Uint8Array, words: number, msb: Stream | undefined, lsb: Stream | undefined): void {
    const stride = this.wordBytes;
    const capacity = Math.ceil((this.bits + words) / 8);
    const msbOut = msb ? msb.reserve(capacity) : null;
    const lsbOut = lsb ? lsb.reserve(capacity) : null;
    let mostFirst = this.mostFirst;
    let leastFirst = this.leastFirst;
    let bits = this.bits;
    let length = 0;
    let word = 0;
    let at = 0;
    const pushBit = () => {
      const bit = chunk[at]! & 1;
      mostFirst = (mostFirst << 1) | bit;
      leastFirst |= bit << bits;
      if (++bits === 8) {
        if (msbOut) msbOut[length] = mostFirst;
        if (lsbOut) lsbOut[length] = leastFirst;
        length++;
        mostFirst = 0;
        leastFirst = 0;
        bits = 0;
      }
    };
    // Finish the byte the last chunk left open, then eight words to a byte, then what is left.
    for (; bits !== 0 && word < words; word++, at += stride) pushBit();
    const wholeBytes = Math.floor((words - word) / 8);
    const s = stride;
    for (let byte = 0; byte < wholeBytes; byte++, at += 8 * s) {
      const packed =
        ((chunk[at]! & 1) << 7) |
        ((chunk[at + s]! & 1) << 6) |
        ((chunk[at + 2 * s]! & 1) << 5) |
        ((chunk[at + 3 * s]! & 1) << 4) |
        ((chunk[at + 4 * s]! & 1) << 3) |
        ((chunk[at + 5 * s]! & 1) << 2) |
        ((chunk[at + 6 * s]! & 1) << 1) |
        (chunk[at + 7 * s]! & 1);
      if (msbOut) msbOut[length] = packed;
      if (lsbOut) lsbOut[length] = REVERSED_BITS[packed]!;
      length++;
    }
    word += wholeBytes * 8;
    for (; word < words; word++, at += stride) pushBit();
    this.mostFirst = mostFirst;
    this.leastFirst = leastFirst;
    this.bits = bits;
    msb?.emit(length, this.onBytes);
    lsb?.emit(length, this.onBytes);
  }
}
