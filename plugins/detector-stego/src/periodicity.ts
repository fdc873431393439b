/**
 * Periodic patterns in the least significant bits: a watermark or a repeated payload written into
 * the LSBs repeats with its period, so the LSB plane agrees with itself shifted by that lag far more
 * often than chance. Natural LSBs are independent from value to value. Tiled tensors (a row copied
 * N times) repeat too, but in every bit: at the lag found, whole values must not repeat. Ramps
 * (arange, linspace) have periodic rounding in their low bits and are left out.
 *
 * Dequantised grids (QAT fake-quant, GPTQ/AWQ weights saved as float: k · scale for a few k per row)
 * have structured low bits for a benign reason: the LSB of k · scale is a function of k and the row's
 * scale, so values of one row agree in it. There the LSB is determined by the rest of the value: each
 * value with its LSB cleared occurs with one LSB only. A payload written into the LSBs is independent of
 * the value, so the same grid value shows up with both LSBs. A period is not reported when the values
 * are a grid (at least GRID_RECURRING of them share their high bits with another value of their
 * window of GRID_WINDOW) whose LSB the rest of the value decides (at most GRID_MIXED of those come
 * with both LSBs). Continuous weights rarely repeat in a window, so the test never applies to them.
 *
 * Bounded: the first `elements` values of the tensor, lags 1..`maxLag`.
 */

import type { TensorConsumer } from "@modelaudit/core";
import { BufferPool, disagreements, disagreementsByLag, lsbOrder } from "@modelaudit/tensors";
import { upperTail } from "./p-value.js";

/** Agreement beyond chance (fraction of bits) a period must show: a watermark repeats exactly. */
export const MIN_EXCESS_AGREEMENT = 0.1;
/** Bonferroni-corrected p-value below which a lag is periodic. */
export const MAX_PERIOD_P = 1e-9;
/** Consecutive values a grid's few values are counted over (rows or groups share one scale). */
export const GRID_WINDOW = 256;
/** Share of the values whose high bits recur in their window, from which the values are a grid. */
export const GRID_RECURRING = 0.5;
/** Share of a grid's recurring values whose high bits occur with both LSBs, above which the LSBs carry data. */
export const GRID_MIXED = 0.05;
/** Fewer values than this are not judged. */
export const MIN_PERIOD_ELEMENTS = 4096;
/** Words (32 values) past the lag each lag is screened over before a full count: 8K pairs. */
const SCREEN_WORDS = 256;
/** Words each lag is first compared over, before the screen: 2K pairs. */
const FIRST_SCREEN_WORDS = 64;

export interface Periodicity {
  lag: number;
  /** Fraction of LSBs equal to the LSB `lag` values later, and what independent bits with this balance give. */
  agreement: number;
  expected: number;
  /** Fraction of whole values equal at that lag. */
  equalValues: number;
  /** Bonferroni-corrected over the lags tried. */
  pValue: number;
  elements: number;
}

export class LsbPeriodicity implements TensorConsumer {
  private readonly bits: Uint32Array;
  /** A hash of each value kept (the whole word), for the tiling check. */
  private readonly values: Uint32Array;
  private count = 0;
  private rising = 0;
  private falling = 0;
  /** Ranges of words kept by `words` whose LSBs and order `settle` has yet to count. */
  private readonly unsettled: { start: number; end: number }[] = [];

  constructor(
    private readonly wordBytes: number,
    private readonly elements: number,
    private readonly maxLag: number,
  ) {
    this.bits = new Uint32Array(Math.ceil(elements / 32));
    this.values = new Uint32Array(BufferPool.of(elements * 4).take().buffer, 0, elements);
  }

  /** Gives the value hashes back for later tensors, once judged. */
  release(): void {
    BufferPool.giveBack(new Uint8Array(this.values.buffer));
    this.count = this.elements;
  }

  data(chunk: Uint8Array): void {
    const stride = this.wordBytes;
    // 2- and 4-byte words (aligned: the engine delivers whole, aligned elements) are their own hash,
    // and as unsigned integers they order as the byte-wise comparison does.
    if ((stride === 4 || stride === 2) && chunk.byteOffset % stride === 0) {
      this.words(
        stride === 4
          ? new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length >> 2)
          : new Uint16Array(chunk.buffer, chunk.byteOffset, chunk.length >> 1),
      );
      return;
    }
    for (let at = 0; at + stride <= chunk.length && this.count < this.elements; at += stride) {
      let hash = 0;
      for (let byte = stride - 1; byte >= 0; byte--) hash = (Math.imul(hash, 0x01000193) ^ chunk[at + byte]!) >>> 0;
      const index = this.count++;
      if (chunk[at]! & 1) this.bits[index >>> 5]! |= 1 << (index & 31);
      this.values[index] = hash;
      if (index > 0) {
        // Raw words order like values for non-negative floats and unsigned integers; enough to see a ramp.
        const before = this.values[index - 1]!;
        if (hash !== before) {
          if (rawAbove(chunk, at, stride)) this.rising++;
          else this.falling++;
        }
      }
    }
  }

  /**
   * Keeps the words; their LSBs and order are counted by `settle` before the judgement, over the
   * whole range at once (a SIMD kernel where there is one).
   */
  private words(words: Uint32Array | Uint16Array): void {
    const start = this.count;
    const end = Math.min(this.elements, start + words.length);
    if (end <= start) return;
    this.values.set(words.subarray(0, end - start), start);
    const last = this.unsettled.at(-1);
    if (last && last.end === start) last.end = end;
    else this.unsettled.push({ start, end });
    this.count = end;
  }

  /** Counts the LSBs and order of the words `words` kept. */
  private settle(): void {
    for (const { start, end } of this.unsettled) {
      const { rising, falling } = lsbOrder(this.values, start, end, this.bits);
      this.rising += rising;
      this.falling += falling;
    }
    this.unsettled.length = 0;
  }

  end(): void {}

  judge(): Periodicity | null {
    this.settle();
    const n = this.count;
    if (n < MIN_PERIOD_ELEMENTS) return null;
    // A ramp: consecutive values keep moving one way.
    if (Math.max(this.rising, this.falling) >= 0.9 * (n - 1)) return null;
    let ones = 0;
    const words = Math.floor(n / 32);
    for (let word = 0; word < words; word++) ones += popcount(this.bits[word]!);
    const usable = words * 32;
    const p = ones / usable;
    if (p < 0.02 || p > 0.98) return null;
    const expected = p * p + (1 - p) * (1 - p);
    const maxLag = Math.min(this.maxLag, Math.floor(usable / 4));
    let best: Periodicity | null = null;
    const bits = this.bits;
    // Screening: each lag is first compared over FIRST_SCREEN_WORDS words, then over a prefix of
    // SCREEN_WORDS words past the lag; only a lag agreeing there by a quarter, then half, of the
    // required excess is counted over every word. A real excess of 0.1 stands 6.8 standard
    // deviations above the first bar of 0.025 (2K pairs) and 18 above the second of 0.05 (8K pairs):
    // none is screened out, while about one chance lag in a hundred passes the first.
    const screenWords = Math.min(words, (maxLag >>> 5) + SCREEN_WORDS);
    // The first screen of every lag at once (a SIMD kernel where there is one).
    const first = disagreementsByLag(bits, maxLag, FIRST_SCREEN_WORDS);
    for (let lag = 1; lag <= maxLag; lag++) {
      if ((lag >>> 5) + FIRST_SCREEN_WORDS + 1 < screenWords) {
        const firstAgreement = 1 - first[lag - 1]! / (FIRST_SCREEN_WORDS * 32);
        if (firstAgreement - expected < MIN_EXCESS_AGREEMENT / 4) continue;
      }
      if (screenWords < words) {
        const screenPairs = screenWords - (lag >>> 5) - 1;
        const screenAgreement = 1 - disagreements(bits, lag, screenPairs) / (screenPairs * 32);
        if (screenAgreement - expected < MIN_EXCESS_AGREEMENT / 2) continue;
      }
      const pairs = words - (lag >>> 5) - 1;
      const agree = pairs * 32 - disagreements(bits, lag, pairs);
      const total = pairs * 32;
      const agreement = agree / total;
      if (agreement - expected < MIN_EXCESS_AGREEMENT) continue;
      const z = (agree - expected * total) / Math.sqrt(total * expected * (1 - expected));
      const pValue = Math.min(1, upperTail(z) * maxLag);
      if (pValue >= MAX_PERIOD_P) continue;
      if (best !== null && agreement <= best.agreement) continue;
      let equal = 0;
      for (let index = 0; index + lag < n; index++) if (this.values[index] === this.values[index + lag]) equal++;
      const equalValues = equal / (n - lag);
      // Values that repeat whole are a tiled tensor, not a pattern in the low bits.
      if (equalValues > 0.5 * (agreement - expected)) continue;
      best = { lag, agreement, expected, equalValues, pValue, elements: n };
    }
    if (best !== null && this.lsbSetByGrid()) return null;
    return best;
  }

  /**
   * Whether the values are a grid of few values whose LSB is decided by the rest of the value (see
   * the header), window by window (a grid's scale is per row or per group, so its few values are
   * few locally). Only for 2- and 4-byte words, whose kept hash is the word itself; run only when a
   * period was found.
   */
  private lsbSetByGrid(): boolean {
    if (this.wordBytes !== 2 && this.wordBytes !== 4) return false;
    const n = this.count;
    // High bits (the word without its LSB) → LSBs seen (1: zero, 2: one) · 4 + min(count, 2) - 1.
    const seen = new Map<number, number>();
    let recurring = 0;
    let mixed = 0;
    for (let start = 0; start < n; start += GRID_WINDOW) {
      const end = Math.min(n, start + GRID_WINDOW);
      seen.clear();
      for (let index = start; index < end; index++) {
        const word = this.values[index]!;
        const high = word >>> 1;
        const lsb = (word & 1) + 1;
        const before = seen.get(high);
        seen.set(high, before === undefined ? lsb * 4 : ((before >> 2) | lsb) * 4 + 1);
      }
      for (let index = start; index < end; index++) {
        const state = seen.get(this.values[index]! >>> 1)!;
        if ((state & 3) === 0) continue;
        recurring++;
        if (state >> 2 === 3) mixed++;
      }
    }
    return recurring >= GRID_RECURRING * n && mixed <= GRID_MIXED * recurring;
  }
}

function rawAbove(chunk: Uint8Array, at: number, stride: number): boolean {
  for (let byte = stride - 1; byte >= 0; byte--) {
    const now = chunk[at + byte]!;
    const before = at - stride + byte >= 0 ? chunk[at - stride + byte]! : -1;
    if (now !== before) return now > before;
  }
  return false;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
