/**
 * Normal tail probabilities for the statistics' p-values. erfc by the Chebyshev fit of Numerical
 * Recipes (`erfcc`: relative error below 1.2e-7 everywhere), so far tails keep their magnitude
 * instead of rounding to 0 at z ≈ 8 as 1 - cdf would.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≥ z) for a standard normal Z. */
export function upperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P(Z ≤ z). */
export function lowerTail(z: number): number {
  return upperTail(-z);
}

/** A p-value as messages show it: three significant digits, `< 1e-300` past double range. */
export function formatP(p: number): string {
  if (p <= 0 || !Number.isFinite(p)) return "< 1e-300";
  return p >= 0.001 ? p.toPrecision(3) : p.toExponential(2);
}
