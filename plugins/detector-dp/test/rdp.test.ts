import { describe, expect, it } from "vitest";
import { DEFAULT_ORDERS, epsilonFromRdp, epsilonOf, historyProblem, logErfc, rdpOf, rdpOfStep } from "../src/index.js";

describe("the RDP accountant (Opacus' analysis/rdp.py)", () => {
  it("uses RDPAccountant.DEFAULT_ALPHAS", () => {
    expect(DEFAULT_ORDERS.length).toBe(151);
    expect(DEFAULT_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_ORDERS[98]).toBeCloseTo(10.9, 12);
    expect(DEFAULT_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(DEFAULT_ORDERS.at(-1)).toBe(63);
  });

  it("reproduces the docstring example of opacus/accountants/analysis/rdp.py: (0.336, 23)", () => {
    const orders = Array.from({ length: 31 }, (_, index) => index + 2);
    const rdp = rdpOf(
      [
        { sampleRate: 1e-5, noiseMultiplier: 1, steps: 10 },
        { sampleRate: 1e-4, noiseMultiplier: 3, steps: 4 },
      ],
      orders,
    );
    const { epsilon, order } = epsilonFromRdp(rdp, 1e-5, orders);
    expect(epsilon).toBeCloseTo(0.336, 3);
    expect(order).toBe(23);
  });

  it("matches the generator's scipy accountant for σ 1.1, q 0.01, 1000 steps, δ 1e-5", () => {
    // /usr/bin/python3 -c "from generate_dp_fixtures import epsilon; print(epsilon([(1.1, 0.01, 1000)], 1e-5))"
    expect(epsilonOf([{ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 1000 }], 1e-5).epsilon).toBeCloseTo(
      1.7117700912203435,
      12,
    );
  });

  it("handles the special cases as Opacus does: q 0, σ 0, q 1", () => {
    expect(rdpOfStep(0, 1, 2)).toBe(0);
    expect(rdpOfStep(0.1, 0, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(rdpOfStep(1, 2, 3)).toBe(3 / 8);
    expect(epsilonOf([{ noiseMultiplier: 0, sampleRate: 0.1, steps: 10 }], 1e-5).epsilon).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("computes log erfc without underflow (scipy: log 2 + log_ndtr(-x·√2))", () => {
    const scipy: [number, number][] = [
      [-5, 0.6931471805591766],
      [-1, 0.6112323176780705],
      [0.5, -0.7350111298370848],
      [2, -5.36494126461664],
      [3, -10.720363041981116],
      [30, -903.9741171106442],
      [100, -10005.177585122668],
    ];
    for (const [x, expected] of scipy)
      expect(Math.abs(logErfc(x) - expected)).toBeLessThan(1e-12 * Math.max(1, -expected));
  });

  it("names histories no accountant would take", () => {
    expect(historyProblem([{ noiseMultiplier: 1, sampleRate: 0.01, steps: 10 }])).toBeNull();
    expect(historyProblem([{ noiseMultiplier: Number.NaN, sampleRate: 0.01, steps: 10 }])).toMatch(/noise/);
    expect(historyProblem([{ noiseMultiplier: 1, sampleRate: 16000, steps: 10 }])).toMatch(/sampling rate/);
    expect(historyProblem([{ noiseMultiplier: 1, sampleRate: 0.01, steps: 1.5 }])).toMatch(/step/);
  });
});
