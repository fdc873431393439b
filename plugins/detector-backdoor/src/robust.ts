/**
 * Robust outlier scores for the few-to-many values of one layer (row norms, row maxima, biases).
 *
 * A score is (x - median) / (1.4826 · MAD) over the *other* values (leave-one-out): the value judged
 * never widens its own yardstick, which matters when a layer has 10 rows. With few values the MAD
 * itself is noisy (with 10 values from a normal, the largest leave-one-out z passes 16 once in a
 * thousand layers; see the README's measurements), so the threshold grows as √(32/n) below 32 values,
 * and the spread has a floor the caller gives (row norms of real layers never agree to better than a
 * few percent).
 */

/** 1.4826 · MAD estimates σ for normal data. */
const MAD_TO_SIGMA = 1.4826;
/** Below this many values the leave-one-out median and MAD are computed exactly for every value. */
const EXACT_LEAVE_ONE_OUT = 64;

export interface Score {
  index: number;
  value: number;
  z: number;
  /** Median and spread (σ estimate, after the floor) the value was scored against. */
  median: number;
  spread: number;
}

/** The threshold for a layer of `n` values: the base (default 6) raised for small layers. */
export function thresholdFor(base: number, n: number): number {
  return n >= 32 ? base : base * Math.sqrt(32 / Math.max(1, n));
}

/** Relative standard error of a MAD from n normal values: 1.166/√n (asymptotic). */
export const MAD_RELATIVE_ERROR = 1.166;
/** Standard errors of the MAD a z must survive when it is a rule's only evidence. */
export const MAD_ALLOWANCE = 3;

/**
 * The threshold for a z that is the whole evidence (a row's norm against its layer's): the z must pass
 * the base even with the layer's spread at the upper end of its sampling error (MAD_ALLOWANCE
 * standard errors of 1.166/√n each), i.e. base · (1 + 3.5/√n): 8.6 for 64 rows, 6.7 for 1000, and
 * never below `thresholdFor`'s √(32/n) rise. With 64 trained rows a z just past 6 is a MAD a
 * third too small as often as it is a scaled neuron (the benign set keeps its margin: clean at 4.5).
 */
export function evidenceThresholdFor(base: number, n: number): number {
  const allowance = 1 + (MAD_ALLOWANCE * MAD_RELATIVE_ERROR) / Math.sqrt(Math.max(1, n));
  return Math.max(thresholdFor(base, n), base * allowance);
}

export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const middle = n >> 1;
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median and σ estimate (1.4826 · MAD) of the values. */
export function center(values: ArrayLike<number>): { median: number; spread: number } {
  const sorted = Float64Array.from(values).sort();
  const middle = median(sorted);
  const deviations = sorted.map((value) => Math.abs(value - middle)).sort();
  return { median: middle, spread: MAD_TO_SIGMA * median(deviations) };
}

/**
 * Scores of every value, high side (`sign` 1) or low side (-1), each against the others; sorted by
 * score, strongest first. Large layers score against the whole layer (one value moves a median of
 * 64+ by less than a rank).
 */
export function leaveOneOutScores(values: ArrayLike<number>, floor: number, sign: 1 | -1 = 1): Score[] {
  const n = values.length;
  const scores: Score[] = [];
  if (n < 3) return scores;
  const whole = n >= EXACT_LEAVE_ONE_OUT ? center(values) : null;
  const others = new Float64Array(n - 1);
  for (let index = 0; index < n; index++) {
    let reference = whole;
    if (reference === null) {
      let at = 0;
      for (let other = 0; other < n; other++) if (other !== index) others[at++] = values[other]!;
      reference = center(others);
    }
    const spread = Math.max(reference.spread, floor);
    const value = values[index]!;
    const z = spread > 0 ? (sign * (value - reference.median)) / spread : 0;
    scores.push({ index, value, z, median: reference.median, spread });
  }
  return scores.sort((a, b) => b.z - a.z);
}
