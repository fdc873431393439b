/**
 * Counts kept in 32-bit counters (cheaper to increment in hot loops than float64) and added into
 * float64 totals long before any counter could wrap: callers increment `counters` directly, then
 * say how many they added with `counted`.
 */
export class FlushedCounts {
  readonly counters: Uint32Array;
  private readonly sums: Float64Array;
  private sinceFlush = 0;

  constructor(size: number) {
    this.counters = new Uint32Array(size);
    this.sums = new Float64Array(size);
  }

  /** `added` more increments went into `counters`. */
  counted(added: number): void {
    this.sinceFlush += added;
    if (this.sinceFlush >= FLUSH_EVERY) this.flush();
  }

  /** Every count so far. */
  totals(): Float64Array {
    this.flush();
    return this.sums;
  }

  private flush(): void {
    if (this.sinceFlush === 0) return;
    const counters = this.counters;
    const sums = this.sums;
    for (let index = 0; index < counters.length; index++) sums[index]! += counters[index]!;
    counters.fill(0);
    this.sinceFlush = 0;
  }
}

/** Increments between flushes: far below 2^32, whatever one window adds. */
const FLUSH_EVERY = 2 ** 30;
