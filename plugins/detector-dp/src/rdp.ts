/**
 * Rényi-DP accounting of the sampled Gaussian mechanism (DP-SGD), computed as Opacus' RDPAccountant
 * does (opacus/accountants/analysis/rdp.py, after TF Privacy's rdp_accountant.py; Mironov, Talwar and
 * Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", arXiv:1908.10530, §3.3):
 * the RDP of each (noise multiplier σ, sampling rate q, steps) entry of the accountant's history at
 * the default orders, summed, then converted to (ε, δ) with Balle et al.'s bound (arXiv:1905.09982,
 * Theorem 21) and minimised over the orders.
 */

/** Opacus' RDPAccountant.DEFAULT_ALPHAS: 1.1, 1.2, ..., 10.9, then 12, 13, ..., 63. */
export const DEFAULT_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, index) => 1 + (index + 1) / 10),
  ...Array.from({ length: 52 }, (_, index) => 12 + index),
];

/** One entry of an accountant's history: `steps` steps at noise multiplier σ and sampling rate q. */
export interface MechanismRun {
  noiseMultiplier: number;
  sampleRate: number;
  steps: number;
}

/** Terms of the fractional-order series summed at most (the series stops far sooner in practice). */
const MAX_SERIES_TERMS = 100_000;

/** log(e^x + e^y) without overflow; -Infinity is log 0. */
function logAdd(x: number, y: number): number {
  const low = Math.min(x, y);
  const high = Math.max(x, y);
  if (low === Number.NEGATIVE_INFINITY) return high;
  return Math.log1p(Math.exp(low - high)) + high;
}

/** log(e^x - e^y) for x ≥ y. */
function logSub(x: number, y: number): number {
  if (x < y) throw new RangeError("the result of a log-space subtraction must be non-negative");
  if (y === Number.NEGATIVE_INFINITY) return x;
  if (x === y) return Number.NEGATIVE_INFINITY;
  const difference = Math.expm1(x - y);
  return Number.isFinite(difference) ? Math.log(difference) + y : x;
}

/** erf by its Taylor series (|x| ≤ 2: at most about one digit lost to cancellation). */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/**
 * log(erfc(x)) accurate where erfc underflows: the series near 0, and for x > 2 the continued
 * fraction erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (modified Lentz).
 */
export function logErfc(x: number): number {
  if (x < -2) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x <= 2) return Math.log(1 - erfSeries(x));
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
}

/** log A_α for an integer order: a finite binomial sum. */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let logA = Number.NEGATIVE_INFINITY;
  let logBinomial = 0;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinomial += Math.log((alpha - i + 1) / i);
    const s = logBinomial + i * Math.log(q) + (alpha - i) * Math.log(1 - q) + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, s);
  }
  return logA;
}

/** log A_α for a fractional order: two series over the generalised binomial coefficients. */
function logAFractional(q: number, sigma: number, alpha: number): number {
  let logA0 = Number.NEGATIVE_INFINITY;
  let logA1 = Number.NEGATIVE_INFINITY;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coefficient = 1;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    if (i > 0) coefficient *= (alpha - i + 1) / i;
    const logCoefficient = Math.log(Math.abs(coefficient));
    const j = alpha - i;
    const logT0 = logCoefficient + i * Math.log(q) + j * Math.log(1 - q);
    const logT1 = logCoefficient + j * Math.log(q) + i * Math.log(1 - q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coefficient > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/** RDP of one step of the sampled Gaussian mechanism at order α. */
export function rdpOfStep(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Number.POSITIVE_INFINITY;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** The RDP of a whole history at each order. */
export function rdpOf(history: readonly MechanismRun[], orders: readonly number[] = DEFAULT_ORDERS): number[] {
  return orders.map((alpha) =>
    history.reduce((sum, run) => sum + rdpOfStep(run.sampleRate, run.noiseMultiplier, alpha) * run.steps, 0),
  );
}

/** ε at `delta` from RDP values: the minimum over orders of rdp - (log δ + log α)/(α - 1) + log((α - 1)/α). */
export function epsilonFromRdp(
  rdp: readonly number[],
  delta: number,
  orders: readonly number[] = DEFAULT_ORDERS,
): { epsilon: number; order: number | null } {
  let best = Number.NaN;
  let order: number | null = null;
  for (let index = 0; index < orders.length; index++) {
    const alpha = orders[index]!;
    const epsilon = rdp[index]! - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
    if (Number.isNaN(epsilon)) continue;
    if (Number.isNaN(best) || epsilon < best) {
      best = epsilon;
      order = alpha;
    }
  }
  return Number.isNaN(best) ? { epsilon: Number.POSITIVE_INFINITY, order: null } : { epsilon: best, order };
}

/** Problems that make a history impossible to account (the accountant would reject or mis-read it). */
export function historyProblem(history: readonly MechanismRun[]): string | null {
  for (const run of history) {
    if (!(run.noiseMultiplier >= 0) || !Number.isFinite(run.noiseMultiplier))
      return "a noise multiplier is not a finite non-negative number";
    if (!(run.sampleRate >= 0 && run.sampleRate <= 1)) return "a sampling rate is outside [0, 1]";
    if (!Number.isSafeInteger(run.steps) || run.steps < 0) return "a step count is not a non-negative integer";
  }
  return null;
}

/** ε of a history at `delta`, as Opacus' RDPAccountant.get_epsilon(delta) returns it. */
export function epsilonOf(history: readonly MechanismRun[], delta: number): { epsilon: number; order: number | null } {
  return epsilonFromRdp(rdpOf(history), delta);
}
