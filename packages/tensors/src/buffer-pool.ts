/**
 * A few spare buffers of one size, for consumers that live one tensor each: a model has hundreds
 * of tensors, and allocating (and zeroing, and collecting) a window or a histogram per tensor cost
 * more than the work done in it. Single-threaded use; a buffer is handed out to one owner at a time.
 */
export class BufferPool {
  private readonly spare: Uint8Array[] = [];

  constructor(
    readonly size: number,
    private readonly maxSpare = 8,
  ) {}

  /**
   * The shared pool of buffers of `size` bytes. The first few sizes asked for are pooled (a reader
   * uses one or two: its window at each level, its histogram); any other gets a pool of its own that
   * keeps nothing shared, so odd sizes never crowd out the common ones.
   */
  static of(size: number): BufferPool {
    let pool = shared.get(size);
    if (!pool) {
      pool = new BufferPool(size, 16);
      if (shared.size < MAX_SHARED_SIZES) shared.set(size, pool);
    }
    return pool;
  }

  /** Gives a buffer back to the shared pool of its size, if there is one. */
  static giveBack(buffer: Uint8Array): void {
    shared.get(buffer.length)?.give(buffer);
  }

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

const shared = new Map<number, BufferPool>();
const MAX_SHARED_SIZES = 8;
