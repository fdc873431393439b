import type { TensorStatistics } from "@modelaudit/tensors";

export interface OutlierSummary {
  /** Values the moments are over: the non-zero ones in a sparse tensor. */
  count: number;
  mean: number;
  deviation: number;
  /** Values whose |z| exceeds the threshold; `atLeast` when more may exist than the statistics kept. */
  beyond: { count: number; atLeast: boolean; maxAbsoluteZ: number };
}

/**
 * Values beyond mean ± threshold·σ, counted among the extremes the shared statistics keep (outliers
 * are rare by definition, so the count is exact up to that many). In a sparse tensor (mostly exact
 * zeros: pruned weights) the zeros are left out, or every surviving weight looks extreme; their
 * moments follow from the totals, since zeros add nothing to the sums.
 */
export function summarizeOutliers(statistics: TensorStatistics, threshold: number): OutlierSummary {
  const total = statistics.finite;
  const sparse = statistics.zeros * 2 > total;
  const count = sparse ? total - statistics.zeros : total;
  const sum = statistics.mean * total;
  const sumOfSquares = statistics.variance * total + total * statistics.mean * statistics.mean;
  const mean = count > 0 ? (sparse ? sum / count : statistics.mean) : 0;
  const variance = count > 0 ? (sparse ? sumOfSquares / count - mean * mean : statistics.variance) : 0;
  const deviation = Math.sqrt(Math.max(0, variance));
  const z = (value: number) => (deviation > 0 ? Math.abs(value - mean) / deviation : 0);
  const { highs, lows, kept } = statistics.extremes();
  const highsBeyond = highs.filter((value) => z(value) > threshold && value > mean).length;
  const lowsBeyond = lows.filter((value) => z(value) > threshold && value < mean).length;
  return {
    count,
    mean,
    deviation,
    beyond: {
      count: highsBeyond + lowsBeyond,
      atLeast: highsBeyond === kept || lowsBeyond === kept,
      maxAbsoluteZ: count > 0 ? Math.max(z(statistics.min), z(statistics.max)) : 0,
    },
  };
}
