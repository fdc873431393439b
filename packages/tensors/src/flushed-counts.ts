/**
 * Counts kept in 32-bit counters (cheaper to increment in hot loops than float64) and added into
 * float64 totals long before any counter could wrap: callers increment `counters` directly, then
 * say how many they added with `counted`. The float64 totals exist only once a flush is due (2^30
 * increments), so a tensor of ordinary size allocates and walks one array, not two.
 */
export class FlushedCounts {
  readonly counters: Uint32Array;
  private sums: Float64Array | null = null;
  private sinceFlush = 0;

  /** `counters`: a zeroed array to count into (a pooled one), else one of `size` is allocated. */
  constructor(size: number, counters?: Uint32Array) {
    this.counters = counters ?? new Uint32Array(size);
  }

  /** `added` more increments went into `counters`. */
  counted(added: number): void {
    this.sinceFlush += added;
    if (this.sinceFlush >= FLUSH_EVERY) this.flush();
  }

  /** Every count so far: the counters themselves until a flush was due. Valid until the next increment. */
  totals(): Float64Array | Uint32Array {
    if (this.sums === null) return this.counters;
    this.flush();
    return this.sums;
  }

  private flush(): void {
    if (this.sinceFlush === 0) return;
    const counters = this.counters;
    this.sums ??= new Float64Array(counters.length);
    const sums = this.sums;
    for (let index = 0; index < counters.length; index++) sums[index]! += counters[index]!;
    counters.fill(0);
    this.sinceFlush = 0;
  }
}

/** Increments between flushes: far below 2^32, whatever one window adds. */
const FLUSH_EVERY = 2 ** 30;
