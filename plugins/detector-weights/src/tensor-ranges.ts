import type { Origin, TensorFact } from "@modelaudit/core";
import type { FloatFormat } from "./float-formats.js";
import { type TensorResult, TensorScanner } from "./tensor-scanner.js";

/**
 * Tensors read at once in one source. Overlapping ranges (legal in no format we know) would make
 * every byte count several times: past this many, further tensors are skipped, so the work stays
 * proportional to the bytes.
 */
export const MAX_ACTIVE_TENSORS = 16;

export interface TrackedTensor {
  fact: TensorFact;
  format: FloatFormat;
  start: number;
  end: number;
  origin: Origin;
}

interface ActiveTensor {
  tensor: TrackedTensor;
  scanner: TensorScanner;
  /** The next byte of the source this tensor expects. */
  position: number;
}

/**
 * The declared float tensors of one source, matched against its byte stream: facts arrive while the
 * source is parsed, its bytes after, in order. A tensor whose bytes did not all arrive (skipped as a
 * member read on its own, or cut short) is dropped unjudged.
 */
export class SourceTensors {
  private readonly pending: TrackedTensor[] = [];
  private sorted = true;
  private next = 0;
  private active: ActiveTensor[] = [];
  /** Tensors left unjudged (bytes missing, too many at once). */
  skipped = 0;

  constructor(private readonly onComplete: (tensor: TrackedTensor, result: TensorResult) => void) {}

  add(tensor: TrackedTensor): void {
    if (this.pending.length > 0 && tensor.start < (this.pending.at(-1) as TrackedTensor).start) this.sorted = false;
    this.pending.push(tensor);
  }

  push(chunk: Uint8Array, offset: number): void {
    if (!this.sorted) {
      this.pending.sort((left, right) => left.start - right.start);
      this.sorted = true;
    }
    const chunkEnd = offset + chunk.length;
    while (this.next < this.pending.length && (this.pending[this.next] as TrackedTensor).start < chunkEnd) {
      const tensor = this.pending[this.next++] as TrackedTensor;
      // Feed the open tensors up to where this one starts first: those that end before it close, so only
      // tensors that really overlap are open together (one chunk may hold hundreds of small tensors).
      this.feed(chunk, offset, Math.max(offset, tensor.start));
      // Its first bytes went by unseen, or too many tensors overlap.
      if (tensor.start < offset || this.active.length >= MAX_ACTIVE_TENSORS) {
        this.skipped++;
        continue;
      }
      const scanner = new TensorScanner(tensor.format, tensor.end - tensor.start);
      this.active.push({ tensor, scanner, position: tensor.start });
    }
    this.feed(chunk, offset, chunkEnd);
  }

  /** Hands the open tensors their bytes of this chunk up to `until`; completes those that end there. */
  private feed(chunk: Uint8Array, offset: number, until: number): void {
    if (this.active.length === 0) return;
    const still: ActiveTensor[] = [];
    for (const entry of this.active) {
      if (entry.position < offset) {
        this.skipped++;
        continue;
      }
      const stop = Math.min(entry.tensor.end, until);
      if (stop > entry.position) {
        entry.scanner.push(chunk.subarray(entry.position - offset, stop - offset));
        entry.position = stop;
      }
      if (entry.position === entry.tensor.end) this.onComplete(entry.tensor, entry.scanner.end());
      else still.push(entry);
    }
    this.active = still;
  }

  /** The source's bytes ended: tensors still open or never reached are left unjudged. */
  end(): void {
    this.skipped += this.active.length + (this.pending.length - this.next);
    this.active = [];
    this.next = this.pending.length;
  }
}
