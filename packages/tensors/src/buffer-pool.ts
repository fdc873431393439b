/**
 * A few spare buffers of one size, for consumers that live one tensor each: a model has hundreds
 * of tensors, and allocating (and zeroing, and collecting) a window per tensor cost more than the
 * work done in it. Single-threaded use; a buffer is handed out to one owner at a time.
 */
export class BufferPool {
  private readonly spare: Uint8Array[] = [];

  constructor(
    readonly size: number,
    private readonly maxSpare = 8,
  ) {}

  /** A buffer of `size` bytes (contents undefined unless `zeroed`). */
  take(zeroed = false): Uint8Array {
    const buffer = this.spare.pop();
    if (buffer === undefined) return new Uint8Array(this.size);
    if (zeroed) buffer.fill(0);
    return buffer;
  }

  /** Gives a buffer back; it must not be used after. */
  give(buffer: Uint8Array): void {
    if (buffer.length === this.size && this.spare.length < this.maxSpare) this.spare.push(buffer);
  }
}
