/**
 * One row part's figures, as RowSummary.add needs them: what the SIMD kernel (float32-kernel.ts)
 * computes for float32 windows, and `summarize` for every other window and for the kernel's tail.
 */

import type { FloatWindow } from "./decode.js";

export interface SegmentSummary {
  sum: number;
  squares: number;
  min: number;
  max: number;
  /** Largest |value| (-1 when every value was NaN or there were none) and its first index in the segment. */
  largest: number;
  largestAt: number;
  zeros: number;
  positives: number;
}

export function emptySegment(): SegmentSummary {
  return { sum: 0, squares: 0, min: 0, max: 0, largest: -1, largestAt: 0, zeros: 0, positives: 0 };
}

/**
 * The figures of values[from..to) (part of one row) in one pass: what the SIMD kernel computes, for
 * windows it does not take (other element types, short rows, no WebAssembly SIMD).
 */
export function summarize(values: FloatWindow, from: number, to: number, into: SegmentSummary): SegmentSummary {
  let sumA = 0;
  let sumB = 0;
  let squaresA = 0;
  let squaresB = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let largest = -1;
  let largestAt = 0;
  let positives = 0;
  let zeros = 0;
  // Two chains of sums: the loop is bound by the additions' latency, not by loads.
  let at = from;
  for (; at + 1 < to; at += 2) {
    const first = values[at]!;
    const second = values[at + 1]!;
    sumA += first;
    sumB += second;
    squaresA += first * first;
    squaresB += second * second;
    positives += +(first > 0) + +(second > 0);
    zeros += +(first === 0) + +(second === 0);
    if (first < min) min = first;
    if (second < min) min = second;
    if (first > max) max = first;
    if (second > max) max = second;
    const magnitudeA = Math.abs(first);
    const magnitudeB = Math.abs(second);
    if (magnitudeA > largest) {
      largest = magnitudeA;
      largestAt = at - from;
    }
    if (magnitudeB > largest) {
      largest = magnitudeB;
      largestAt = at + 1 - from;
    }
  }
  if (at < to) {
    const last = values[at]!;
    sumA += last;
    squaresA += last * last;
    positives += +(last > 0);
    zeros += +(last === 0);
    if (last < min) min = last;
    if (last > max) max = last;
    if (Math.abs(last) > largest) {
      largest = Math.abs(last);
      largestAt = at - from;
    }
  }
  into.sum = sumA + sumB;
  into.squares = squaresA + squaresB;
  into.min = min;
  into.max = max;
  into.largest = largest;
  into.largestAt = largestAt;
  into.zeros = zeros;
  into.positives = positives;
  return into;
}
