/**
 * Statistical tests of a tensor's low bits against its high bits, for payloads with no header
 * (encrypted or compressed bytes look uniformly random). Natural float low bits are near uniform
 * too, so "uniform" proves nothing; what a payload breaks is what the untouched high bits predict:
 *
 * - slope: values are sorted into bins by all but their low k bits (the payload leaves those high
 *   bits alone, so bin counts are the tensor's own). Where the value density slopes across a bin
 *   (16-bit floats and 8/16-bit integers, whose bins are coarse enough), natural values sit toward
 *   the denser side: the mean position in the bin is s/12 of its width for relative slope s, s read
 *   from the neighbouring bins' counts. Replaced low bits are uniform and sit at the centre. The
 *   statistic T = Σ ŝ·(u − ½) is ~0 under a payload and close to its natural expectation otherwise;
 *   a tensor is anomalous when the expected signal is strong (z ≥ MIN_EXPECTED_Z) yet the observed
 *   one is below MAX_SIGNAL_RATIO of it, with the p-value of T under the natural model. Bins at a
 *   cliff (the edge of a uniform initialisation) are left out: slopes on their two sides disagree.
 * - precision: in 32/64-bit floats converted from bf16/f16 or otherwise coarse, most values have
 *   zero bits just above the low k; natural such values have zero low bits too. Many values with
 *   zero middle bits but nonzero low bits, far beyond what random mantissas give, is a payload.
 */

import { dtypeInfo, type TensorConsumer, type TensorDType } from "@modelaudit/core";
import { countFloat32Low16, countWords16, releaseCounters, takeCounters } from "@modelaudit/tensors";
import { lowerTail, upperTail } from "./p-value.js";

/** The expected natural signal (in standard deviations) a tensor must have for the slope test to judge it. */
export const MIN_EXPECTED_Z = 8;
/** Observed slope signal below this fraction of the expected one reads as replaced low bits. */
export const MAX_SIGNAL_RATIO = 0.3;
/** Values each of a bin and its two neighbours must hold for the bin to count. */
export const MIN_BIN_VALUES = 256;
/** p-values below this make an anomaly. */
export const MAX_P_VALUE = 1e-6;

export interface LowBitAnomaly {
  test: "slope" | "precision";
  bits: number;
  /** The statistic, its natural expectation and the p-value of what was seen under natural weights. */
  statistic: number;
  expected: number;
  pValue: number;
  /** Entropy (bits) of the low k bits and of the k bits above them, over the elements judged. */
  lowEntropy: number;
  nextEntropy: number;
  elements: number;
}

type Layout =
  | { kind: "float16"; mantissa: number; exponent: number }
  | { kind: "float-wide"; wordBytes: 4 | 8; mantissa: number }
  | { kind: "int"; bits: 8 | 16; signed: boolean };

function layoutOf(dtype: TensorDType): Layout | null {
  switch (dtype) {
    case "f16":
      return { kind: "float16", mantissa: 10, exponent: 5 };
    case "bf16":
      return { kind: "float16", mantissa: 7, exponent: 8 };
    case "f32":
      return { kind: "float-wide", wordBytes: 4, mantissa: 23 };
    case "f64":
      return { kind: "float-wide", wordBytes: 8, mantissa: 52 };
    case "i8":
    case "u8":
      return { kind: "int", bits: 8, signed: dtype === "i8" };
    case "i16":
    case "u16":
      return { kind: "int", bits: 16, signed: dtype === "i16" };
    default:
      return null;
  }
}

/** Whether the tests read this dtype at all. */
export function hasLowBitStatistics(dtype: TensorDType): boolean {
  return layoutOf(dtype) !== null && dtypeInfo(dtype).class !== "complex";
}

/**
 * One pass over a tensor: a histogram of its 8/16-bit words (of the low 16 bits of 32/64-bit
 * floats whose mantissa has a nonzero bit above them), judged at the end. The 16-bit histogram
 * (256 KiB) comes from `takeCounters` (a slot the counting kernel reads, or the pool) and goes back
 * with `release`: a model has hundreds of tensors.
 */
export class LowBitHistogram implements TensorConsumer {
  private readonly layout: Layout;
  private readonly counters: Uint32Array;
  elements = 0;
  /** Wide floats: the values counted into the histogram (its total, without a walk of its 65536 words). */
  private wideCounted = 0;
  /** Per run of `runsOf` (for the slope test): the first and last index holding values, null when none. */
  private occupied: ({ first: number; last: number } | null)[] | null = null;
  /**
   * Wide floats: set once the precision test cannot fire whatever the rest of the tensor holds
   * (counting stops there); and the element count at which that is next checked.
   */
  private cannotFire = false;
  private nextCheck = CHECK_EVERY;

  /** `expectedElements`: how many elements `data` will be given in all (unknown: Infinity). */
  constructor(
    dtype: TensorDType,
    private readonly expectedElements = Number.POSITIVE_INFINITY,
  ) {
    const layout = layoutOf(dtype);
    if (layout === null) throw new RangeError(`no low-bit statistics for ${dtype}`);
    this.layout = layout;
    const size = layout.kind === "int" && layout.bits === 8 ? 256 : 65536;
    this.counters = size === 65536 ? takeCounters() : new Uint32Array(size);
  }

  /** The counts by word (a tensor holds fewer than 2^32 elements per word: no wrap). */
  get counts(): Uint32Array {
    return this.counters;
  }

  /** Gives the histogram back for later tensors; the instance is not used after. */
  release(): void {
    if (this.counters.length === 65536) releaseCounters(this.counters);
  }

  data(chunk: Uint8Array): void {
    // 32-bit counters: the first ~4 billion elements are judged, a sample of any larger tensor.
    if (this.elements >= MAX_COUNTED || this.cannotFire) return;
    const counts = this.counters;
    const layout = this.layout;
    if (layout.kind === "int" && layout.bits === 8) {
      for (let at = 0; at < chunk.length; at++) counts[chunk[at]!]!++;
      this.elements += chunk.length;
      return;
    }
    if (layout.kind !== "float-wide") {
      countWords16(counts, chunk);
      this.elements += chunk.length >> 1;
      return;
    }
    // Wide floats, a piece at a time: counting stops at the first check that finds the precision
    // test cannot fire any more (a chunk holds a whole tensor of a million values or more).
    const stride = layout.wordBytes;
    const whole = Math.floor(chunk.length / stride) * stride;
    for (let at = 0; at < whole && !this.cannotFire; ) {
      const end = Math.min(whole, at + (this.nextCheck - this.elements) * stride);
      this.countWide(chunk.subarray(at, end), stride);
      at = end;
      if (this.elements >= this.nextCheck) {
        this.nextCheck = this.elements + CHECK_EVERY;
        this.cannotFire = this.precisionCannotFire();
      }
    }
  }

  /**
   * Counts whole wide-float words: only values whose mantissa above bit 16 is nonzero (not 1 + a
   * few ulps, not a zero), whose low 16 bits are what the precision test compares.
   */
  private countWide(bytes: Uint8Array, stride: number): void {
    const counts = this.counters;
    const count = bytes.length / stride;
    let counted = 0;
    if (stride === 4) {
      counted = countFloat32Low16(counts, bytes);
    } else {
      for (let at = 0; at < bytes.length; at += stride) {
        const upper = bytes[at + 2]! | bytes[at + 3]! | bytes[at + 4]! | bytes[at + 5]! | (bytes[at + 6]! & 0x0f);
        if (upper !== 0) {
          counts[bytes[at]! | (bytes[at + 1]! << 8)]!++;
          counted++;
        }
      }
    }
    this.wideCounted += counted;
    this.elements += count;
  }

  /**
   * Whether no depth's precision test can fire, whatever the elements still to come: it needs
   * values with zero middle bits to be half of those counted, and even if every element left had
   * them, they would stay below half of the values counted so far. Natural float32 weights (one
   * value in 256 with zero middle bits) get there two thirds of the way through; converted
   * coarse ones never do.
   */
  private precisionCannotFire(): boolean {
    const remaining = this.expectedElements - this.elements;
    // More than announced (or nothing announced): no bound on what is still to come.
    if (!(remaining >= 0) || !Number.isFinite(remaining)) return false;
    return this.precisionCounts(DEPTHS).every(({ total, zeroMiddle }) => zeroMiddle + remaining < 0.5 * total);
  }

  end(): void {}

  /** The anomalies, shallowest depth first; empty when the low bits look natural or the tests cannot judge. */
  judge(): LowBitAnomaly[] {
    const found: LowBitAnomaly[] = [];
    // Counting stopped once no depth could fire.
    if (this.cannotFire) return found;
    // The precision test's counts for every depth come from one walk of the 65536 words: a model
    // has hundreds of tensors, and four walks each cost more than the tensor's own reading.
    const precision = this.layout.kind === "float-wide" ? this.precisionCounts(DEPTHS) : null;
    for (const [index, bits] of DEPTHS.entries()) {
      const anomaly = precision ? this.precision(bits, precision[index]!) : this.slope(bits);
      if (anomaly) found.push(anomaly);
    }
    return found;
  }

  /**
   * Per depth k: the values counted, those with zero bits just above the low k, and of those the ones
   * with nonzero low bits. Only the 256 words with zero middle bits are visited per depth, and the
   * total was counted as the values came: a model has hundreds of tensors, most of them small, each
   * with a 65536-word histogram.
   */
  private precisionCounts(depths: readonly number[]): { total: number; zeroMiddle: number; nonzeroLow: number }[] {
    const counts = this.counts;
    const total = this.wideCounted;
    return depths.map((k) => {
      let zeroMiddle = 0;
      let nonzeroLow = 0;
      const lows = 1 << k;
      // Words whose 8 bits above the low k are zero: high part h, middle 0, low part l.
      for (let high = 0; high < 65536 >> (k + 8); high++) {
        for (let low = 0; low < lows; low++) {
          const count = counts[(high << (k + 8)) | low]!;
          zeroMiddle += count;
          if (low !== 0) nonzeroLow += count;
        }
      }
      return { total, zeroMiddle, nonzeroLow };
    });
  }

  /** Depths the slope test can read: within the mantissa for floats, half the word for integers. */
  private slope(k: number): LowBitAnomaly | null {
    const layout = this.layout;
    if (layout.kind === "float-wide") return null;
    const limit = layout.kind === "float16" ? layout.mantissa : layout.bits / 2;
    if (k > limit) return null;
    let statistic = 0;
    let variance = 0;
    let expected = 0;
    let used = 0;
    const size = 1 << k;
    const unitVariance = (1 - 4 ** -k) / 12;
    const runs = runsOf(layout);
    this.occupied ??= runs.map((run) => occupiedRange(run, this.counts));
    for (const [index, run] of runs.entries()) {
      const bins = Math.floor(run.length / size);
      const occupied = this.occupied[index]!;
      if (bins < 3 || occupied === null) continue;
      // Only bins between the first and last that hold values are read: a bin counts only when it
      // and both neighbours hold MIN_BIN_VALUES, so the empty ones outside add nothing (a model's
      // hundreds of small tensors each fill a sliver of the 65536 words).
      const firstBin = Math.floor(occupied.first / size);
      const lastBin = Math.min(bins - 1, Math.floor(occupied.last / size));
      const n = new Float64Array(bins);
      const offsetSum = new Float64Array(bins);
      const start = new Float64Array(bins + 1);
      for (let bin = firstBin; bin <= lastBin; bin++) {
        let count = 0;
        let sum = 0;
        for (let inside = 0; inside < size; inside++) {
          const c = this.counts[run.word(bin * size + inside)]!;
          count += c;
          sum += c * ((inside + 0.5) / size - 0.5);
        }
        n[bin] = count;
        offsetSum[bin] = sum;
        start[bin] = run.position(bin * size);
      }
      start[lastBin + 1] = run.position((lastBin + 1) * size);
      const width = (bin: number) => start[bin + 1]! - start[bin]!;
      const centre = (bin: number) => (start[bin]! + start[bin + 1]!) / 2;
      const density = (bin: number) => n[bin]! / width(bin);
      for (let bin = Math.max(1, firstBin + 1); bin < Math.min(bins - 1, lastBin); bin++) {
        const count = n[bin]!;
        // Too few values to tell a slope from a cliff: left out (conservative: less expected signal).
        if (Math.min(count, n[bin - 1]!, n[bin + 1]!) < MIN_BIN_VALUES) continue;
        // Three bins of one binade: across a binade edge the bin width doubles, and data that is not
        // smooth there (random words, spread log-uniformly) would read as a slope.
        if (run.binade((bin - 1) * size) !== run.binade((bin + 2) * size - 1)) continue;
        const d = density(bin);
        const leftGap = centre(bin) - centre(bin - 1);
        const rightGap = centre(bin + 1) - centre(bin);
        const left = (d - density(bin - 1)) / leftGap;
        const right = (density(bin + 1) - d) / rightGap;
        const poisson = (b: number) => n[b]! / width(b) ** 2;
        const noise =
          Math.sqrt(poisson(bin) + Math.max(poisson(bin - 1), poisson(bin + 1))) / Math.min(leftGap, rightGap);
        // A cliff (a uniform initialisation's edge): the slopes either side disagree; no linear prediction holds.
        if (Math.abs(left - right) > 0.5 * Math.max(Math.abs(left), Math.abs(right)) + 2 * noise) continue;
        const span = centre(bin + 1) - centre(bin - 1);
        const scale = width(bin) / d;
        const slope = Math.max(-1, Math.min(1, ((density(bin + 1) - density(bin - 1)) / span) * scale));
        const slopeVariance = ((poisson(bin + 1) + poisson(bin - 1)) / span ** 2) * scale ** 2;
        statistic += slope * offsetSum[bin]!;
        variance += slope * slope * count * unitVariance;
        // Debiased: the squared slope estimate overstates the square of the true slope by its variance.
        expected += count * (slope * slope - slopeVariance) * unitVariance;
        used += count;
      }
    }
    if (variance <= 0) return null;
    const sd = Math.sqrt(variance);
    const expectedZ = expected / sd;
    if (expectedZ < MIN_EXPECTED_Z || statistic >= MAX_SIGNAL_RATIO * expected) return null;
    const pValue = lowerTail((statistic - expected) / sd);
    if (pValue >= MAX_P_VALUE) return null;
    return {
      test: "slope",
      bits: k,
      statistic: statistic / sd,
      expected: expectedZ,
      pValue,
      ...this.entropies(k),
      elements: used,
    };
  }

  /** Wide floats: values with zero bits just above the low k, most of which nonetheless have nonzero low bits. */
  private precision(
    k: number,
    { total, zeroMiddle, nonzeroLow }: { total: number; zeroMiddle: number; nonzeroLow: number },
  ): LowBitAnomaly | null {
    // Random mantissas give zero middle bits 1 time in 256, with uniform low bits.
    const randomShare = (total - zeroMiddle) / 255;
    const expected = randomShare * (1 - 2 ** -k);
    // Coarse values must be the majority, and the low bits of most of them set.
    if (zeroMiddle < 0.5 * total || zeroMiddle < 256 || nonzeroLow < 0.25 * zeroMiddle) return null;
    // Poisson tail of nonzeroLow given the random share, normal approximation (the excess is huge when it fires).
    const z = (nonzeroLow - expected) / Math.sqrt(Math.max(expected, 1));
    const pValue = upperTail(z);
    if (pValue >= MAX_P_VALUE) return null;
    return {
      test: "precision",
      bits: k,
      statistic: nonzeroLow,
      expected,
      pValue,
      ...this.entropies(k),
      elements: zeroMiddle,
    };
  }

  /** Shannon entropy of the low k bits and of the k bits above them, from the histogram. */
  private entropies(k: number): { lowEntropy: number; nextEntropy: number } {
    const low = new Float64Array(1 << k);
    const next = new Float64Array(1 << k);
    const mask = (1 << k) - 1;
    const words = this.counts.length;
    let total = 0;
    for (let word = 0; word < words; word++) {
      const count = this.counts[word]!;
      if (count === 0) continue;
      low[word & mask]! += count;
      next[(word >> k) & mask]! += count;
      total += count;
    }
    return { lowEntropy: entropy(low, total), nextEntropy: entropy(next, total) };
  }
}

/** The first and last index of a run whose word was counted; null when none was. */
function occupiedRange(run: Run, counts: Uint32Array): { first: number; last: number } | null {
  let first = -1;
  let last = -1;
  for (let index = 0; index < run.length; index++) {
    if (counts[run.word(index)] === 0) continue;
    if (first < 0) first = index;
    last = index;
  }
  return first < 0 ? null : { first, last };
}

/** The depths (low bits) the tests judge. */
const DEPTHS: readonly number[] = [1, 2, 4, 8];
/** Elements between two checks of whether the precision test can still fire. */
const CHECK_EVERY = 1 << 16;

/** Elements counted at most: no 32-bit counter can wrap, whatever one chunk adds. */
const MAX_COUNTED = 2 ** 32 - 2 ** 28;

function entropy(histogram: Float64Array, total: number): number {
  if (total === 0) return 0;
  let bits = 0;
  for (const count of histogram) if (count > 0) bits -= (count / total) * Math.log2(count / total);
  return Math.round(bits * 1000) / 1000;
}

interface Run {
  /** Words in value order. */
  length: number;
  word(index: number): number;
  /** A number proportional to the value (magnitude for floats) at the start of index `index`. */
  position(index: number): number;
  /** The binade (exponent) of index `index`; 0 for integers. */
  binade(index: number): number;
}

/** The words of a layout in increasing value (floats: magnitude, per sign; NaN and infinity left out). */
function runsOf(layout: Exclude<Layout, { kind: "float-wide" }>): Run[] {
  if (layout.kind === "int") {
    const span = 2 ** layout.bits;
    const offset = layout.signed ? span / 2 : 0;
    return [
      { length: span, word: (index) => (index - offset + span) % span, position: (index) => index, binade: () => 0 },
    ];
  }
  const { mantissa, exponent } = layout;
  const finite = ((1 << exponent) - 1) << mantissa;
  const position = (magnitude: number) => {
    const e = magnitude >> mantissa;
    const m = magnitude & ((1 << mantissa) - 1);
    return e === 0 ? 2 * m : 2 ** e * (2 ** mantissa + m);
  };
  const signBit = 1 << (mantissa + exponent);
  const binade = (magnitude: number) => magnitude >> mantissa;
  return [0, signBit].map((sign) => ({ length: finite, word: (index: number) => sign | index, position, binade }));
}
