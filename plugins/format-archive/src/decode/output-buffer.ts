import { OutputLimitError } from "./decode-errors.js";
import type { LzOutput } from "./lz-output.js";

/** How often decoded bytes are charged to the artifact budget and the deadline is checked. */
const CHARGE_STEP = 1024 * 1024;

export interface OutputBounds {
  /** Most bytes this stream may produce; one more byte raises OutputLimitError. */
  maxBytes: number;
  /** Why `maxBytes` is what it is, for the error message. */
  reason: string;
  /** Charges decoded bytes to the artifact budget (throws past it). */
  charge?: (bytes: number) => void;
  /** Throws once the artifact's time bound has passed. */
  checkDeadline?: () => void;
  /** Capacity to reserve up front when the container declares the size. */
  expectedSize?: number;
}

/**
 * A growable output that refuses to pass its bound. Decoders write into it byte by byte or in
 * chunks; LZ decoders also read back from it, so it doubles as the dictionary window.
 */
export class OutputBuffer implements LzOutput {
  bytes: Uint8Array;
  length = 0;
  private charged = 0;

  constructor(private readonly bounds: OutputBounds) {
    const initial = Math.min(bounds.maxBytes, Math.max(4096, bounds.expectedSize ?? 0));
    this.bytes = new Uint8Array(Math.max(1, Math.min(initial, 64 * 1024 * 1024)));
  }

  /** Makes room for `extra` more bytes or throws OutputLimitError. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed > this.bounds.maxBytes) {
      throw new OutputLimitError(`output passed ${this.bounds.maxBytes} bytes (${this.bounds.reason})`);
    }
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.bounds.maxBytes, Math.max(needed, this.bytes.length * 2)));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    if (needed - this.charged >= CHARGE_STEP) this.settle(needed);
  }

  pushByte(value: number): void {
    if (this.length >= this.bytes.length || this.length - this.charged >= CHARGE_STEP) this.reserve(1);
    this.bytes[this.length++] = value;
  }

  append(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** Copies `count` bytes starting `distance` bytes back (LZ77 match; may overlap itself). */
  copyMatch(distance: number, count: number): void {
    this.reserve(count);
    const bytes = this.bytes;
    let from = this.length - distance;
    let to = this.length;
    const end = to + count;
    while (to < end) bytes[to++] = bytes[from++] as number;
    this.length = end;
  }

  /** Every decoded byte stays readable. */
  get reach(): number {
    return this.length;
  }

  byteBack(distance: number): number {
    return this.bytes[this.length - distance] as number;
  }

  /** The decoded bytes; also charges whatever was not charged yet. */
  result(): Uint8Array {
    this.settle(this.length);
    return this.bytes.subarray(0, this.length);
  }

  private settle(upTo: number): void {
    const due = upTo - this.charged;
    if (due <= 0) return;
    this.charged = upTo;
    this.bounds.charge?.(due);
    this.bounds.checkDeadline?.();
  }
}
