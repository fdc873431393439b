import type { Identified } from "@modelaudit/core";
import { describeExecutable, type ExecutableMatch, MAX_HEADER_BYTES } from "@modelaudit/format-executable";

export interface ExecutableHit {
  /** Offset of the header inside the source. */
  offset: number;
  match: ExecutableMatch;
}

/** Asks the engine's sniffers what starts where in a window of bytes. */
export type Identify = (window: Uint8Array) => Identified[];

/**
 * Finds executables past the start of one source's byte stream, chunk by chunk, by asking `identify`
 * (the start of a source is told by its format labels). A header may straddle chunks, so the last
 * MAX_HEADER_BYTES of each window are examined only with the next chunk behind them, or at the end
 * of the source: every position is examined once, with its whole header in view. The source's first
 * bytes are kept to describe what its labels say it is.
 */
export class ExecutableScanner {
  readonly hits: ExecutableHit[] = [];
  head: Uint8Array = new Uint8Array(0);
  /** Bytes held back for the next window, and the source offset of their first byte. */
  private carry: Uint8Array = new Uint8Array(0);
  private carryStart = 0;

  constructor(
    private readonly identify: Identify,
    private readonly maxHits: number,
    /** False: nothing past the start is examined (the quick scan level). */
    private readonly deep: boolean,
  ) {}

  push(chunk: Uint8Array, offset: number): void {
    if (offset === this.head.length && offset < MAX_HEADER_BYTES) {
      this.head = concat(this.head, chunk.slice(0, MAX_HEADER_BYTES - offset));
    }
    if (!this.deep || this.hits.length >= this.maxHits) return;
    // Chunks out of order: start afresh there rather than splice unrelated bytes.
    if (offset !== this.carryStart + this.carry.length) this.carry = new Uint8Array(0);
    if (chunk.length <= MAX_HEADER_BYTES) {
      const window = concat(this.carry, chunk);
      const windowStart = offset - this.carry.length;
      const held = Math.min(window.length, MAX_HEADER_BYTES);
      this.examine(window, windowStart, window.length - held);
      this.carry = window.slice(window.length - held);
      this.carryStart = windowStart + window.length - held;
      return;
    }
    // A large chunk is examined in place (copying megabytes per chunk costs more than the search):
    // the held-back bytes with the chunk's first MAX_HEADER_BYTES behind them, then the chunk itself.
    if (this.carry.length > 0) {
      this.examine(concat(this.carry, chunk.subarray(0, MAX_HEADER_BYTES)), this.carryStart, this.carry.length);
    }
    this.examine(chunk, offset, chunk.length - MAX_HEADER_BYTES);
    this.carry = chunk.slice(chunk.length - MAX_HEADER_BYTES);
    this.carryStart = offset + chunk.length - MAX_HEADER_BYTES;
  }

  /** The source ended: examine what was held back, with whatever bytes exist. */
  end(): void {
    if (this.deep) this.examine(this.carry, this.carryStart, this.carry.length);
    this.carry = new Uint8Array(0);
  }

  /** Records executables starting before `upTo` in `window`, which starts at source offset `windowStart`. */
  private examine(window: Uint8Array, windowStart: number, upTo: number): void {
    if (upTo <= 0) return;
    for (const found of this.identify(window)) {
      const offset = windowStart + found.offset;
      if (found.offset >= upTo || offset === 0 || this.hits.length >= this.maxHits) continue;
      const match = describeExecutable(window, found.offset);
      if (match) this.hits.push({ offset, match });
    }
  }
}

/** `left` then `right`; `right` itself when there is nothing before it (callers copy what they keep). */
function concat(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === 0) return right;
  const joined = new Uint8Array(left.length + right.length);
  joined.set(left, 0);
  joined.set(right, left.length);
  return joined;
}
