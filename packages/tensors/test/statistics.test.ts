import { dtypeInfo, type TensorConsumer, type TensorStream } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import {
  STATISTICS_KEY,
  type StatisticsOptions,
  statisticsOf,
  statisticsOptionsFor,
  TensorStatistics,
} from "../src/statistics.js";
import { bytesOf, chunksOf, expected, number, type StatisticsCase } from "./fixtures.js";

function run(entry: StatisticsCase, options: StatisticsOptions = {}, sizes = [5, 1, 17, 64]): TensorStatistics {
  const statistics = new TensorStatistics(entry.dtype, entry.shape, options);
  let offset = 0;
  for (const chunk of chunksOf(bytesOf(entry.file), dtypeInfo(entry.dtype).blockBytes, sizes)) {
    statistics.data(chunk, offset);
    offset += chunk.length;
  }
  statistics.end(true);
  return statistics;
}

/** |actual - wanted| within `relative` of |wanted| (floating sums in another order). */
function expectClose(actual: number, wanted: number, relative: number): void {
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(relative * Math.abs(wanted) + Number.MIN_VALUE);
}

describe("TensorStatistics against NumPy", () => {
  for (const [name, entry] of Object.entries(expected.statistics)) {
    describe(name, () => {
      it("counts, extremes and moments as NumPy computes them", () => {
        const statistics = run(entry);
        expect(statistics.complete).toBe(true);
        expect(statistics.elements).toBe(entry.elements);
        expect(statistics.finite).toBe(entry.finite);
        expect(statistics.nan).toBe(entry.nan);
        expect(statistics.positiveInfinity).toBe(entry.positive_infinity);
        expect(statistics.negativeInfinity).toBe(entry.negative_infinity);
        expect(statistics.zeros).toBe(entry.zeros);
        // Extremes are exact; the mean and variance are float64 sums in another order (1e-12, 1e-10 relative).
        expect(statistics.min).toBe(entry.min);
        expect(statistics.max).toBe(entry.max);
        expectClose(statistics.mean, entry.mean, 1e-12);
        expectClose(statistics.variance, entry.variance, 1e-10);
      });

      it("median and MAD within the sketch's stated bound, exact when every value is kept", () => {
        const sketched = run(entry, { exactValues: 0 });
        expect(sketched.robustExact).toBe(false);
        expect(Math.abs(sketched.median - entry.median)).toBeLessThanOrEqual(entry.median_tolerance);
        expect(Math.abs(sketched.mad - entry.mad)).toBeLessThanOrEqual(entry.mad_tolerance);
        const exact = run(entry, { exactValues: entry.elements });
        expect(exact.robustExact).toBe(true);
        expectClose(exact.median, entry.median, 0);
        expectClose(exact.mad, entry.mad, 1e-15);
      });

      it("row norms along the first dimension", () => {
        const statistics = run(entry);
        if (!entry.rows) {
          expect(statistics.rows).toBeNull();
          return;
        }
        const rows = statistics.rows!;
        expect(rows.rows).toBe(entry.rows.rows);
        expect(rows.rowLength).toBe(entry.rows.row_length);
        expect(rows.truncated).toBe(false);
        const norms = rows.norms();
        entry.rows.first_norms.forEach((wanted, index) => {
          const value = number(wanted);
          if (Number.isFinite(value)) expectClose(norms[index]!, value, 1e-12);
          else expect(norms[index]).toBe(value);
        });
      });

      it("low-byte histogram and LSB counts of the raw words (integer, boolean and 8-bit types)", () => {
        const statistics = run(entry);
        const wideFloat = statistics.info.class === "float" && statistics.info.blockBytes > 1;
        if (!entry.low_byte || wideFloat) {
          expect(statistics.lowByte).toBeNull();
          return;
        }
        expect(Array.from(statistics.lowByte!)).toEqual(entry.low_byte);
        expect(statistics.lsb).toEqual(entry.lsb);
      });

      it("the same numbers however the data is chunked (moments to 1e-11: one-value windows are a thousand merges)", () => {
        const { mean, variance, ...whole } = run(entry, {}, [1 << 20]).summary();
        for (const sizes of [[1], [3, 1000]]) {
          const { mean: otherMean, variance: otherVariance, ...other } = run(entry, {}, sizes).summary();
          expect(other).toEqual(whole);
          expectClose(otherMean!, mean!, 1e-11);
          expectClose(otherVariance!, variance!, 1e-11);
        }
      });
    });
  }
});

describe("TensorStatistics bounds and edge cases", () => {
  it("keeps at most maxRows row norms and says so", () => {
    const statistics = new TensorStatistics("f32", [10, 2], { maxRows: 4 });
    statistics.data(
      new Uint8Array(new Float32Array([3, 4, 0, 1, 1, 1, 2, 2, 5, 12, ...new Array(10).fill(1)]).buffer),
      0,
    );
    statistics.end(true);
    expect(statistics.rows!.truncated).toBe(true);
    expect(Array.from(statistics.rows!.norms())).toEqual([5, 1, Math.SQRT2, Math.sqrt(8)]);
  });

  it("does not decode complex, iq or opaque data, but counts it", () => {
    const complex = new TensorStatistics("c64", [2]);
    complex.data(new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer), 0);
    complex.end(true);
    expect(complex.decodable).toBe(false);
    expect(complex.elements).toBe(2);
    expect(complex.finite).toBe(0);
    expect(complex.lowByte).toBeNull();
    const iq = new TensorStatistics("iq4_nl", [32]);
    iq.data(new Uint8Array(18), 0);
    iq.end(false);
    expect(iq.elements).toBe(32);
    expect(iq.lowByte).toBeNull();
    expect(iq.summary()).toMatchObject({ complete: false, decodable: false, mean: null, median: null });
  });

  it("a tensor of only non-finite values has no moments", () => {
    const statistics = new TensorStatistics("f32", [3]);
    statistics.data(new Uint8Array(new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, Number.NaN]).buffer), 0);
    statistics.end(true);
    expect(statistics.summary()).toMatchObject({
      finite: 0,
      nan: 2,
      positiveInfinity: 1,
      mean: null,
      variance: null,
      median: null,
    });
  });

  it("keeps the variance of values far from zero (no cancellation)", () => {
    const values = new Float64Array(200_000);
    for (let index = 0; index < values.length; index++) values[index] = 1e9 + (index % 2 === 0 ? 1 : -1);
    const statistics = new TensorStatistics("f64", [values.length]);
    statistics.data(new Uint8Array(values.buffer), 0);
    statistics.end(true);
    expect(statistics.mean).toBe(1e9);
    expectClose(statistics.variance, 1, 1e-9);
  });

  it("keeps the variance of rows far from zero (the row pass's plain sums are not trusted there)", () => {
    const values = new Float64Array(200_000);
    for (let index = 0; index < values.length; index++) values[index] = 1e9 + (index % 2 === 0 ? 1 : -1);
    const statistics = new TensorStatistics("f64", [1000, 200]);
    statistics.data(new Uint8Array(values.buffer), 0);
    statistics.end(true);
    expect(statistics.mean).toBe(1e9);
    expectClose(statistics.variance, 1, 1e-9);
    expectClose(statistics.rows!.norms()[0]!, Math.sqrt(200 * (1e18 + 1)), 1e-12);
  });

  it("robustEvery samples only the median sketch: every other figure equals the full pass", () => {
    const shape = [512, 2048];
    const values = new Float32Array(shape[0]! * shape[1]!);
    let seed = 99;
    for (let index = 0; index < values.length; index++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      values[index] = (seed / 2 ** 32 - 0.45) * 0.1;
    }
    const bytes = new Uint8Array(values.buffer);
    const feed = (options: StatisticsOptions) => {
      const statistics = new TensorStatistics("f32", shape, options);
      for (let offset = 0; offset < bytes.length; offset += 1 << 20)
        statistics.data(bytes.subarray(offset, offset + (1 << 20)), offset);
      statistics.end(true);
      return statistics;
    };
    const full = feed({});
    const sampled = feed(statisticsOptionsFor("standard"));
    expect(statisticsOptionsFor("thorough")).toEqual({});
    for (const key of ["elements", "finite", "zeros", "min", "max", "mean", "variance"] as const)
      expect(sampled[key], key).toBe(full[key]);
    expect(Array.from(sampled.rows!.norms())).toEqual(Array.from(full.rows!.norms()));
    expect(Array.from(sampled.rows!.maximumValues())).toEqual(Array.from(full.rows!.maximumValues()));
    // One window in 16: a sample of 1/16 of the values estimates the median and MAD within 2%.
    expectClose(sampled.median, full.median, 0.02);
    expectClose(sampled.mad, full.mad, 0.02);
  });

  it("median and MAD of a large tensor within the sketch's bound (against a full sort)", () => {
    const count = 300_001;
    const values = new Float32Array(count);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let index = 0; index < count; index++) values[index] = 0.02 * Math.tan(Math.PI * (random() - 0.5)) + 0.003;
    const statistics = new TensorStatistics("f32", [count]);
    statistics.data(new Uint8Array(values.buffer), 0);
    statistics.end(true);
    const sorted = Float64Array.from(values).sort();
    const median = sorted[(count - 1) / 2]!;
    const deviations = sorted.map((value) => Math.abs(value - median)).sort();
    const mad = deviations[(count - 1) / 2]!;
    expect(statistics.robustExact).toBe(false);
    // A 1-D tensor of 300,001 float32s in one chunk: every window goes through the row kernel, and the
    // sketch counts each from the kernel's memory.
    const mean = values.reduce((total, value) => total + value, 0) / count;
    const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / count;
    expectClose(statistics.mean, mean, 1e-10);
    expectClose(statistics.variance, variance, 1e-10);
    expect(statistics.min).toBe(sorted[0]);
    expect(statistics.max).toBe(sorted[count - 1]);
    expect(statistics.elements).toBe(count);
    expect(Math.abs(statistics.median - median)).toBeLessThanOrEqual(2 ** -8 * Math.abs(median));
    expect(Math.abs(statistics.mad - mad)).toBeLessThanOrEqual(2 ** -8 * (mad + 2 * Math.abs(median)));
  });
});

describe("statisticsOf", () => {
  it("gives every detector the one shared instance under the package's key", () => {
    const shared = new Map<string, TensorConsumer>();
    const tensor = {
      fact: { name: "w", dtype: "f16", formatDtype: "F16", shape: [2, 2], byteOrder: "little" },
      shared<T extends TensorConsumer>(key: string, create: () => T): T {
        if (!shared.has(key)) shared.set(key, create());
        return shared.get(key) as T;
      },
    } as unknown as TensorStream;
    const first = statisticsOf(tensor);
    expect(statisticsOf(tensor)).toBe(first);
    expect(shared.get(STATISTICS_KEY)).toBe(first);
    expect(first.dtype).toBe("f16");
    expect(first.shape).toEqual([2, 2]);
  });
});
