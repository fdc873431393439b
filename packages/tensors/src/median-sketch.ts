/**
 * Median and median absolute deviation (MAD) of a tensor's finite values in one pass and bounded
 * memory.
 *
 * The first `exactValues` values are kept as they are; while a tensor has no more, the median and MAD
 * are exact. Past that, values go into a histogram of 65536 buckets keyed by the top 16 bits of their
 * float32 pattern (sign, exponent, 7 fraction bits: the value's bfloat16 truncation), 256 KiB
 * taken only then, from a small pool the finished sketches return them to (a model has hundreds of
 * tensors: allocating and collecting a histogram for each cost more than counting into it). A bucket holds values within a factor 1 + 2^-7 of each other and stands for
 * its midpoint, so every value is represented within 2^-8 of its magnitude (within 2^-134 absolutely
 * for float32 subnormals, whose buckets are 2^-133 wide), and the representation is monotone. Hence:
 *
 * - median: |estimate - median| ≤ 2^-8 · max(|a|, |b|), a and b the two middle values (one when the
 *   count is odd; NumPy's median is their mean).
 * - MAD = median(|x - median|): |estimate - MAD| ≤ 2^-8 · (D + |median| + max(|a|, |b|)), D the larger
 *   of the two middle deviations (each value's deviation moves by at most 2^-8·(|median| + its
 *   deviation) plus the median's error, and an order statistic moves by at most what its neighbours do).
 *
 * Float64 and integer values are first rounded to float32 (2^-24 relative more), float64 values
 * beyond float32's range are counted at ±3.4e38. The MAD is unscaled (no 1.4826 factor).
 */

import { BufferPool } from "./buffer-pool.js";
import type { FloatWindow } from "./decode.js";
import { FlushedCounts } from "./flushed-counts.js";

export const DEFAULT_EXACT_VALUES = 4096;
const BUCKETS = 65536;
const FLOAT32_MAX = 3.4028234663852886e38;

export interface RobustCenter {
  /** NaN when there is no finite value. */
  median: number;
  mad: number;
  /** True when computed from every value; false when from the histogram (within the bounds above). */
  exact: boolean;
}

/**
 * Where a sketch's 65536 bucket counters come from when its histogram starts (zeroed), and go back
 * to with its result. By default a pool of plain buffers; the q8_0 kernel lends counters in its own
 * memory, which it counts into directly (see q8-0-kernel.ts).
 */
export interface HistogramCounters {
  take(): Uint32Array;
  giveBack(counters: Uint32Array): void;
  /** Makes every count into `counters` final (counts another thread took on are added in). */
  settle?(counters: Uint32Array): void;
}

export const POOLED_COUNTERS: HistogramCounters = {
  take: () => new Uint32Array(BufferPool.of(BUCKETS * 4).take(true).buffer),
  giveBack: (counters) => BufferPool.giveBack(new Uint8Array(counters.buffer)),
};

/**
 * Bucket counters in a SIMD kernel's memory, which the kernel counts into itself: `slots` of them
 * from `address`, lent while one is free (a tensor holds one from its histogram's start to its
 * result, and tensors mostly stream one after another), pooled ones otherwise.
 */
export class KernelHistogramSlots implements HistogramCounters {
  private readonly free: Uint32Array[] = [];

  /** `settleSlot`: the kernel's `settle` for a slot (see HistogramCounters), when it hands counts elsewhere. */
  constructor(
    private readonly memory: ArrayBufferLike,
    address: number,
    slots: number,
    private readonly settleSlot?: (counters: Uint32Array) => void,
  ) {
    for (let slot = slots - 1; slot >= 0; slot--)
      this.free.push(new Uint32Array(memory, address + slot * BUCKETS * 4, BUCKETS));
  }

  take(): Uint32Array {
    const slot = this.free.pop();
    if (slot === undefined) return POOLED_COUNTERS.take();
    // Counts still out from a sketch that ended without its result are brought in, then cleared.
    this.settleSlot?.(slot);
    slot.fill(0);
    return slot;
  }

  settle(counters: Uint32Array): void {
    if (this.owns(counters)) this.settleSlot?.(counters);
  }

  giveBack(counters: Uint32Array): void {
    if (this.owns(counters)) this.free.push(counters);
    else POOLED_COUNTERS.giveBack(counters);
  }

  /** Whether `counters` are one of these slots (the kernel can count into them). */
  owns(counters: Uint32Array): boolean {
    return counters.buffer === this.memory && counters.length === BUCKETS;
  }
}

export class MedianSketch {
  private exact: Float64Array;
  private exactLength = 0;
  /** Bucket counts; null while values are kept exactly. */
  private counts: FlushedCounts | null = null;
  private scratch = new Float32Array(0);
  private final: RobustCenter | null = null;

  constructor(
    private readonly exactValues = DEFAULT_EXACT_VALUES,
    private readonly source: HistogramCounters = POOLED_COUNTERS,
  ) {
    this.exact = new Float64Array(Math.min(exactValues, 1024));
  }

  /** Adds a window of values; non-finite ones are ignored. */
  add(values: FloatWindow): void {
    if (this.final !== null) throw new RangeError("values added to a median sketch after its result");
    if (this.counts === null) {
      const length = this.exactLength + values.length;
      if (length <= this.exactValues) {
        if (length > this.exact.length) this.exact = grow(this.exact, Math.min(this.exactValues, length * 2));
        this.exact.set(values, this.exactLength);
        this.exactLength = length;
        return;
      }
      this.startHistogram();
    }
    this.histogram(values);
  }

  /**
   * The bucket counters for a window of `incoming` values a caller counts itself: the histogram
   * takes over now if those values would not fit among the exact ones (null while they would).
   */
  bucketsFor(incoming: number): Uint32Array | null {
    if (this.counts === null && this.final === null && this.exactLength + incoming > this.exactValues) {
      this.startHistogram();
    }
    return this.buckets();
  }

  private startHistogram(): void {
    this.counts = new FlushedCounts(BUCKETS, this.source.take());
    this.histogram(this.exact.subarray(0, this.exactLength));
    this.exact = new Float64Array(0);
  }

  /**
   * The bucket counters, once the histogram has taken over (null while values are kept exactly): a
   * caller that already walks a Float32Array window counts `counters[bits >>> 16]++` itself instead
   * of calling `add`, saving a pass over the values, then calls `counted` with how many it added.
   */
  buckets(): Uint32Array | null {
    return this.counts?.counters ?? null;
  }

  /** `values` more were counted into `buckets()`. */
  counted(values: number): void {
    this.counts?.counted(values);
  }

  /**
   * The median and MAD of the finite values added. The first call ends the sketch: its buckets go
   * back to the pool, since a model's hundreds of tensors each keep their statistics. `least` and
   * `greatest`, when the caller knows bounds on the finite values added, spare the walk over the
   * buckets outside them (most of the 65536 for weights).
   */
  result(least = Number.NEGATIVE_INFINITY, greatest = Number.POSITIVE_INFINITY): RobustCenter {
    this.final ??= this.compute(least, greatest);
    if (this.counts !== null) this.source.giveBack(this.counts.counters);
    this.counts = null;
    this.exact = new Float64Array(0);
    this.exactLength = 0;
    return this.final;
  }

  private compute(least: number, greatest: number): RobustCenter {
    if (this.counts === null) return exactCenter(this.exact.subarray(0, this.exactLength));
    this.source.settle?.(this.counts.counters);
    const { values, counts, total } = sortedBuckets(this.counts.totals(), least, greatest);
    if (total === 0) return { median: Number.NaN, mad: Number.NaN, exact: false };
    const median = weightedMedian(values, counts, total);
    const deviations = deviationsAscending(values, counts, median);
    return { median, mad: weightedMedian(deviations.values, deviations.counts, total), exact: false };
  }

  private histogram(values: FloatWindow): void {
    const counts = this.counts!.counters;
    let floats: Float32Array;
    if (values instanceof Float32Array) {
      floats = values;
    } else {
      if (this.scratch.length < values.length) this.scratch = new Float32Array(values.length);
      floats = this.scratch.subarray(0, values.length);
      for (let index = 0; index < values.length; index++) {
        let value = values[index]!;
        if (value > FLOAT32_MAX && value !== Number.POSITIVE_INFINITY) value = FLOAT32_MAX;
        else if (value < -FLOAT32_MAX && value !== Number.NEGATIVE_INFINITY) value = -FLOAT32_MAX;
        floats[index] = value;
      }
    }
    // Non-finite values land in the exponent-255 buckets, which the result skips.
    countBuckets(new Uint32Array(floats.buffer, floats.byteOffset, floats.length), counts);
    this.counted(floats.length);
  }
}

/**
 * Counts float32 bit patterns into the 65536 bucket counters by their top 16 bits. Four keys are
 * read before any counter is touched: a counter's increment then never waits on the load of the
 * next key, which makes this about twice the speed of the one-at-a-time loop.
 */
export function countBuckets(bits: Uint32Array, counts: Uint32Array): void {
  const length = bits.length;
  const whole = length & ~3;
  for (let index = 0; index < whole; index += 4) {
    const first = bits[index]! >>> 16;
    const second = bits[index + 1]! >>> 16;
    const third = bits[index + 2]! >>> 16;
    const fourth = bits[index + 3]! >>> 16;
    counts[first]!++;
    counts[second]!++;
    counts[third]!++;
    counts[fourth]!++;
  }
  for (let index = whole; index < length; index++) counts[bits[index]! >>> 16]!++;
}

function grow(array: Float64Array, length: number): Float64Array {
  const grown = new Float64Array(length);
  grown.set(array);
  return grown;
}

function exactCenter(values: Float64Array): RobustCenter {
  const finite = values.filter((value) => Number.isFinite(value)).sort();
  if (finite.length === 0) return { median: Number.NaN, mad: Number.NaN, exact: true };
  const median = sortedMedian(finite);
  const deviations = finite.map((value) => Math.abs(value - median)).sort();
  return { median, mad: sortedMedian(deviations), exact: true };
}

function sortedMedian(sorted: Float64Array): number {
  const half = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

/**
 * Working arrays of `compute`, shared by every sketch: the computation is synchronous and its
 * results are numbers, so no two sketches ever hold them at once.
 */
let work: { values: Float64Array; counts: Float64Array; deviations: Float64Array; merged: Float64Array } | null = null;

function workArrays() {
  work ??= {
    values: new Float64Array(BUCKETS),
    counts: new Float64Array(BUCKETS),
    deviations: new Float64Array(BUCKETS),
    merged: new Float64Array(BUCKETS),
  };
  return work;
}

const bucketBits = new Uint32Array(2);
const bucketFloats = new Float32Array(bucketBits.buffer);

/** The value a bucket stands for: the midpoint of its first and last float32 (0 for the two zero buckets). */
function representative(key: number): number {
  if ((key & 0x7fff) === 0) return 0;
  bucketBits[0] = key << 16;
  bucketBits[1] = (key << 16) | 0xffff;
  return (bucketFloats[0]! + bucketFloats[1]!) / 2;
}

/** The bucket of a value: the top 16 bits of its float32 pattern (±Inf at 0x7f80 / 0xff80), as `histogram` counts it. */
function bucketOf(value: number): number {
  if (value > FLOAT32_MAX && value !== Number.POSITIVE_INFINITY) value = FLOAT32_MAX;
  else if (value < -FLOAT32_MAX && value !== Number.NEGATIVE_INFINITY) value = -FLOAT32_MAX;
  bucketFloats[0] = value;
  return bucketBits[0]! >>> 16;
}

/**
 * Non-empty finite buckets in ascending value order: negatives from the largest magnitude down, then
 * positives. Values lie in [least, greatest]: the buckets beyond are not visited (both zero buckets
 * always are: -0 and 0 compare equal, so either may hide behind a bound of the other).
 */
function sortedBuckets(
  histogram: ArrayLike<number>,
  least: number,
  greatest: number,
): { values: Float64Array; counts: Float64Array; total: number } {
  const { values, counts } = workArrays();
  let length = 0;
  let total = 0;
  // 0x7f80 / 0xff80 are ±Inf, above them NaN: skipped.
  const negativeFrom = least < 0 ? Math.min(0xff7f, bucketOf(least)) : 0x8000;
  const positiveTo = greatest > 0 ? Math.min(0x7f7f, bucketOf(greatest)) : 0;
  for (let key = negativeFrom; key >= 0x8000; key--) {
    const count = histogram[key]!;
    if (count === 0) continue;
    values[length] = representative(key);
    counts[length++] = count;
    total += count;
  }
  for (let key = 0; key <= positiveTo; key++) {
    const count = histogram[key]!;
    if (count === 0) continue;
    values[length] = representative(key);
    counts[length++] = count;
    total += count;
  }
  return { values: values.subarray(0, length), counts: counts.subarray(0, length), total };
}

/** The value of rank `rank` (0-based) in a multiset given as ascending values with counts. */
function rankValue(values: Float64Array, counts: Float64Array, rank: number): number {
  let seen = 0;
  for (let index = 0; index < values.length; index++) {
    seen += counts[index]!;
    if (seen > rank) return values[index]!;
  }
  return values[values.length - 1]!;
}

/** NumPy's median of the multiset: the middle value, or the mean of the two middle values. */
function weightedMedian(values: Float64Array, counts: Float64Array, total: number): number {
  const upper = Math.floor(total / 2);
  if (total % 2 === 1) return rankValue(values, counts, upper);
  return (rankValue(values, counts, upper - 1) + rankValue(values, counts, upper)) / 2;
}

/**
 * |value - center| of every bucket in ascending order: the distances fall towards the center and rise
 * after it, so two cursors walk outward from it and merge.
 */
function deviationsAscending(
  values: Float64Array,
  counts: Float64Array,
  center: number,
): { values: Float64Array; counts: Float64Array } {
  const arrays = workArrays();
  const deviations = arrays.deviations.subarray(0, values.length);
  const merged = arrays.merged.subarray(0, values.length);
  let right = 0;
  while (right < values.length && values[right]! < center) right++;
  let left = right - 1;
  for (let index = 0; index < values.length; index++) {
    const below = left >= 0 ? center - values[left]! : Number.POSITIVE_INFINITY;
    const above = right < values.length ? values[right]! - center : Number.POSITIVE_INFINITY;
    if (below <= above) {
      deviations[index] = below;
      merged[index] = counts[left--]!;
    } else {
      deviations[index] = above;
      merged[index] = counts[right++]!;
    }
  }
  return { values: deviations, counts: merged };
}
