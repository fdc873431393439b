import { Buffer } from "node:buffer";
import { EXECUTABLE_MAGICS, type ExecutableMatch, identifyExecutable, MAX_HEADER_BYTES } from "./executable-headers.js";
import { identifyShebang, type ShebangMatch } from "./shebang.js";

export interface ExecutableHit {
  /** Offset of the header inside the source. */
  offset: number;
  match: ExecutableMatch;
}

const SHEBANG_HEAD = 512;

/**
 * Finds executable headers in one source's byte stream, chunk by chunk. A header may straddle
 * chunks, so the last MAX_HEADER_BYTES not yet examined are carried into the next chunk: every
 * position is examined exactly once, with its full header in view (or at the end of the source).
 */
export class ExecutableScanner {
  readonly hits: ExecutableHit[] = [];
  shebang: ShebangMatch | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  /** Source offset of carry[0]; also the next position to examine. */
  private carryStart = 0;
  private expectedOffset = 0;
  private head: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly maxHits: number,
    /** False: only the start of the source is examined (the quick scan level). */
    private readonly deep: boolean,
  ) {}

  get full(): boolean {
    return this.hits.length >= this.maxHits;
  }

  push(chunk: Uint8Array, offset: number): void {
    if (offset !== this.expectedOffset) {
      // Chunks out of order: start afresh there rather than splice unrelated bytes.
      this.carry = new Uint8Array(0);
      this.carryStart = offset;
    }
    this.expectedOffset = offset + chunk.length;
    if (offset === 0 || this.head.length < SHEBANG_HEAD) this.collectHead(chunk, offset);
    if (this.full || (!this.deep && this.carryStart > 0)) return;
    const combined = this.carry.length === 0 ? chunk : concat(this.carry, chunk);
    const examineUpTo = this.carryStart + combined.length - MAX_HEADER_BYTES;
    if (examineUpTo > this.carryStart) {
      this.examine(combined, this.carryStart, examineUpTo);
      const keepFrom = examineUpTo - this.carryStart;
      this.carry = combined.slice(keepFrom);
      this.carryStart = examineUpTo;
    } else {
      this.carry = combined === chunk ? chunk.slice() : combined;
    }
  }

  /** The source ended: examine what was held back, with whatever bytes exist. */
  end(): void {
    if (this.head.length > 0) this.shebang = identifyShebang(this.head);
    if (!this.full && (this.deep || this.carryStart === 0) && this.carry.length > 0) {
      this.examine(this.carry, this.carryStart, this.carryStart + this.carry.length);
    }
    this.carry = new Uint8Array(0);
  }

  private collectHead(chunk: Uint8Array, offset: number): void {
    if (offset !== this.head.length) return;
    this.head = concat(this.head, chunk.subarray(0, SHEBANG_HEAD - this.head.length));
  }

  /** Examines positions [base, to) of the source; `buffer` starts at source offset `base`. */
  private examine(buffer: Uint8Array, base: number, to: number): void {
    if (!this.deep) {
      const match = base === 0 && to > 0 ? identifyExecutable(buffer, 0) : null;
      if (match) this.hits.push({ offset: 0, match });
      return;
    }
    const limit = to - base;
    const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const found: ExecutableHit[] = [];
    for (const magic of EXECUTABLE_MAGICS) {
      let index = view.indexOf(magic, 0);
      while (index !== -1 && index < limit) {
        const match = identifyExecutable(buffer, index);
        if (match) found.push({ offset: base + index, match });
        index = view.indexOf(magic, index + 1);
      }
    }
    found.sort((left, right) => left.offset - right.offset);
    for (const hit of found) {
      if (this.full) break;
      this.hits.push(hit);
    }
  }
}

function concat(left: Uint8Array, right: Uint8Array): Uint8Array {
  const joined = new Uint8Array(left.length + right.length);
  joined.set(left, 0);
  joined.set(right, left.length);
  return joined;
}
