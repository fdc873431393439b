/**
 * Running statistics of a tensor's finite values in one pass and bounded memory: Welford's mean and
 * variance, the range, and the few most extreme values at each end (outliers are rare by
 * definition, so counting them against the final mean and deviation is exact up to that many).
 */

/** Extreme values kept at each end. */
export const KEPT_EXTREMES = 32;

export interface StatisticsSummary {
  /** Values the moments are over: the non-zero ones in a sparse tensor. */
  count: number;
  mean: number;
  deviation: number;
  min: number;
  max: number;
  /** Values whose |z| exceeds the threshold asked for; `atLeast` when more may exist than were kept. */
  beyond: { count: number; atLeast: boolean; maxAbsoluteZ: number };
}

export class ValueStatistics {
  count = 0;
  mean = 0;
  /** Sum of squared deviations from the running mean. */
  squares = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Exact zeros (pruned or padded weights). */
  zeros = 0;
  nan = 0;
  positiveInfinity = 0;
  negativeInfinity = 0;
  /** Largest values, descending; smallest values, ascending. */
  private readonly highs: number[] = [];
  private readonly lows: number[] = [];
  private highFloor = Number.NEGATIVE_INFINITY;
  private lowCeiling = Number.POSITIVE_INFINITY;

  /** Adds values, with the running state in locals (the hot loop of the detector). */
  addAll(values: Float32Array | Float64Array): void {
    let { count, mean, squares, min, max, zeros, highFloor, lowCeiling } = this;
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as number;
      // NaN fails both comparisons; ±Inf pass one: either way, not a finite value.
      if (!(value > Number.NEGATIVE_INFINITY && value < Number.POSITIVE_INFINITY)) {
        if (Number.isNaN(value)) this.nan++;
        else if (value > 0) this.positiveInfinity++;
        else this.negativeInfinity++;
        continue;
      }
      count++;
      const delta = value - mean;
      mean += delta / count;
      squares += delta * (value - mean);
      if (value === 0) zeros++;
      if (value < min) min = value;
      if (value > max) max = value;
      if (value > highFloor) {
        this.keepHigh(value);
        highFloor = this.highFloor;
      }
      if (value < lowCeiling) {
        this.keepLow(value);
        lowCeiling = this.lowCeiling;
      }
    }
    Object.assign(this, { count, mean, squares, min, max, zeros });
  }

  get nonFinite(): number {
    return this.nan + this.positiveInfinity + this.negativeInfinity;
  }

  /**
   * The summary, counting kept extremes whose |z| exceeds `threshold`. In a sparse tensor (mostly
   * exact zeros: pruned weights) the zeros are left out, or every surviving weight looks extreme;
   * their moments follow from the totals (zeros add nothing to the sums).
   */
  summarize(threshold: number): StatisticsSummary {
    const sparse = this.zeros * 2 > this.count;
    const count = sparse ? this.count - this.zeros : this.count;
    const sum = this.mean * this.count;
    const sumOfSquares = this.squares + this.count * this.mean * this.mean;
    const mean = count > 0 ? (sparse ? sum / count : this.mean) : 0;
    const variance = count > 0 ? (sparse ? sumOfSquares / count - mean * mean : this.squares / count) : 0;
    const deviation = Math.sqrt(Math.max(0, variance));
    const z = (value: number) => (deviation > 0 ? Math.abs(value - mean) / deviation : 0);
    const highsBeyond = this.highs.filter((value) => z(value) > threshold && value > mean).length;
    const lowsBeyond = this.lows.filter((value) => z(value) > threshold && value < mean).length;
    const maxAbsoluteZ = count > 0 ? Math.max(z(this.min), z(this.max)) : 0;
    return {
      count,
      mean,
      deviation,
      min: this.min,
      max: this.max,
      beyond: {
        count: highsBeyond + lowsBeyond,
        atLeast: highsBeyond === KEPT_EXTREMES || lowsBeyond === KEPT_EXTREMES,
        maxAbsoluteZ,
      },
    };
  }

  private keepHigh(value: number): void {
    const highs = this.highs;
    let index = highs.length;
    while (index > 0 && (highs[index - 1] as number) < value) index--;
    highs.splice(index, 0, value);
    if (highs.length > KEPT_EXTREMES) highs.pop();
    if (highs.length === KEPT_EXTREMES) this.highFloor = highs[KEPT_EXTREMES - 1] as number;
  }

  private keepLow(value: number): void {
    const lows = this.lows;
    let index = lows.length;
    while (index > 0 && (lows[index - 1] as number) > value) index--;
    lows.splice(index, 0, value);
    if (lows.length > KEPT_EXTREMES) lows.pop();
    if (lows.length === KEPT_EXTREMES) this.lowCeiling = lows[KEPT_EXTREMES - 1] as number;
  }
}
