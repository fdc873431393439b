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

/**
 * Whether `<` orders the value as a typed array's sort does, so medians found by comparisons equal
 * the sort's: not NaN, not -0 (sorted before 0), not infinite (its deviation from an infinite
 * median is NaN).
 */
function ordersAsSorted(value: number): boolean {
  return Number.isFinite(value) && !Object.is(value, -0);
}

/** Median and σ estimate (1.4826 · MAD) of the values. */
export function center(values: ArrayLike<number>): { median: number; spread: number } {
  const n = values.length;
  if (n >= SELECT_FROM) {
    if (selection.length < n) selection = new Float64Array(n);
    let ordinary = true;
    for (let index = 0; index < n; index++) {
      const value = values[index]!;
      if (!ordersAsSorted(value)) {
        ordinary = false;
        break;
      }
      selection[index] = value;
    }
    if (ordinary) {
      const middle = selectedMedian(selection, n);
      for (let index = 0; index < n; index++) selection[index] = Math.abs(values[index]! - middle);
      return { median: middle, spread: MAD_TO_SIGMA * selectedMedian(selection, n) };
    }
  }
  const sorted = Float64Array.from(values).sort();
  const middle = median(sorted);
  const deviations = sorted.map((value) => Math.abs(value - middle)).sort();
  return { median: middle, spread: MAD_TO_SIGMA * median(deviations) };
}

/** From this many values `center` selects its medians instead of sorting twice (the same numbers). */
const SELECT_FROM = 32;
/** `center`'s working copy, reused (it is synchronous and keeps nothing). */
let selection = new Float64Array(0);

/**
 * `median` of the first n values as if sorted, by selection: they are reordered. For finite values
 * with no -0, the k-th smallest is the same number a sort puts at k.
 */
function selectedMedian(values: Float64Array, n: number): number {
  const middle = n >> 1;
  const upper = select(values, n, middle);
  if (n % 2 === 1) return upper;
  // The values before `middle` are now the smaller ones: the largest of them is the (middle - 1)-th.
  let lower = values[0]!;
  for (let index = 1; index < middle; index++) if (values[index]! > lower) lower = values[index]!;
  return (lower + upper) / 2;
}

/**
 * The k-th smallest of the first n values (Hoare's selection, median-of-three pivots): afterwards the
 * values before k are ≤ it and those after are ≥ it. A range that does not shrink fast enough (data
 * built against the pivot rule) is sorted instead, so the worst case stays n log n.
 */
function select(values: Float64Array, n: number, k: number): number {
  let low = 0;
  let high = n - 1;
  let budget = 2 * (32 - Math.clz32(n)) + 8;
  while (high > low) {
    if (budget-- === 0 || high - low < 16) {
      values.subarray(low, high + 1).sort();
      return values[k]!;
    }
    const mid = (low + high) >>> 1;
    // Median of three to the middle: values[low] ≤ values[mid] ≤ values[high].
    if (values[mid]! < values[low]!) swap(values, mid, low);
    if (values[high]! < values[low]!) swap(values, high, low);
    if (values[high]! < values[mid]!) swap(values, high, mid);
    const pivot = values[mid]!;
    let left = low;
    let right = high;
    while (left <= right) {
      while (values[left]! < pivot) left++;
      while (values[right]! > pivot) right--;
      if (left <= right) {
        swap(values, left, right);
        left++;
        right--;
      }
    }
    // [low, right] ≤ pivot, [left, high] ≥ pivot, and anything between equals it.
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else return values[k]!;
  }
  return values[k]!;
}

function swap(values: Float64Array, left: number, right: number): void {
  const value = values[left]!;
  values[left] = values[right]!;
  values[right] = value;
}

/**
 * For each value, `center` of the other values, to the bit, from one sort instead of a sort per
 * value: the others' median is read off the sorted values around the one left out, and their MAD
 * by merging the deviations on the median's two sides (each side already in order of deviation).
 * Null when a value is not one `<` orders as the sort does (`ordersAsSorted`): the caller then
 * computes each the slow way.
 */
function centersOfOthers(values: ArrayLike<number>): { median: number; spread: number }[] | null {
  const n = values.length;
  for (let index = 0; index < n; index++) if (!ordersAsSorted(values[index]!)) return null;
  const order = Array.from({ length: n }, (_, index) => index).sort((a, b) => values[a]! - values[b]!);
  const sorted = Float64Array.from(order, (index) => values[index]!);
  const centers = new Array<{ median: number; spread: number }>(n);
  const r = n - 1;
  const half = r >> 1;
  for (let left = 0; left < n; left++) {
    // The others in order: rank k is sorted[k] before the one left out, sorted[k + 1] from it on.
    const at = (k: number) => sorted[k < left ? k : k + 1]!;
    const middle = r % 2 === 1 ? at(half) : (at(half - 1) + at(half)) / 2;
    // Deviations in increasing order: from the last value below the median down, and from the
    // first at or above it up. The median of the first half + 1 of them is the MAD.
    let below = half;
    while (below >= 0 && at(below) >= middle) below--;
    let above = below + 1;
    let previous = 0;
    let current = 0;
    for (let taken = 0; taken <= half; taken++) {
      const down = below >= 0 ? Math.abs(at(below) - middle) : Number.POSITIVE_INFINITY;
      const up = above < r ? Math.abs(at(above) - middle) : Number.POSITIVE_INFINITY;
      previous = current;
      if (down <= up) {
        current = down;
        below--;
      } else {
        current = up;
        above++;
      }
    }
    const mad = r % 2 === 1 ? current : (previous + current) / 2;
    centers[order[left]!] = { median: middle, spread: MAD_TO_SIGMA * mad };
  }
  return centers;
}

/**
 * Scores of every value, high side (`sign` 1) or low side (-1), each against the others; sorted by
 * score, strongest first. Large layers score against the whole layer (one value moves a median of
 * 64+ by less than a rank).
 */
export function leaveOneOutScores(values: ArrayLike<number>, floor: number, sign: 1 | -1 = 1): Score[] {
  return leaveOneOutOutliers(values, floor, sign, () => true);
}

/**
 * `leaveOneOutScores` without the objects and the sort: `visit` sees each value's index, score and
 * the median and spread it was scored against, in index order (none below 3 values). For callers
 * that want every score by index (a layer's rows at thorough: sorting a score object per row cost
 * more than the scoring).
 */
export function eachLeaveOneOutScore(
  values: ArrayLike<number>,
  floor: number,
  sign: 1 | -1,
  visit: (index: number, z: number, median: number, spread: number) => void,
): void {
  const n = values.length;
  if (n < 3) return;
  const whole = n >= EXACT_LEAVE_ONE_OUT ? center(values) : null;
  const exact = whole === null ? centersOfOthers(values) : null;
  const others = whole === null ? new Float64Array(n - 1) : null;
  for (let index = 0; index < n; index++) {
    let reference = whole ?? exact?.[index] ?? null;
    if (reference === null) {
      let at = 0;
      for (let other = 0; other < n; other++) if (other !== index) others![at++] = values[other]!;
      reference = center(others!);
    }
    const spread = Math.max(reference.spread, floor);
    const z = spread > 0 ? (sign * (values[index]! - reference.median)) / spread : 0;
    visit(index, z, reference.median, spread);
  }
}

/**
 * The scores `leaveOneOutScores` returns that `keep` accepts, in the same order (strongest first,
 * ties in index order), scored and sorted without an object per value: a layer of 1000 rows has a
 * handful of candidates, not 1000 scores to sort. `keep` sees each score's z, value and median.
 */
export function leaveOneOutOutliers(
  values: ArrayLike<number>,
  floor: number,
  sign: 1 | -1,
  keep: (z: number, value: number, median: number) => boolean,
): Score[] {
  const scores: Score[] = [];
  eachLeaveOneOutScore(values, floor, sign, (index, z, median, spread) => {
    const value = values[index]!;
    if (keep(z, value, median)) scores.push({ index, value, z, median, spread });
  });
  // A stable sort of the kept scores orders them as the stable sort of all, filtered, does.
  return scores.sort((a, b) => b.z - a.z);
}
