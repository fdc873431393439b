import { optionProblems } from "@modelaudit/core/options";
import { ROW_SAMPLES, RowSummary } from "@modelaudit/tensors";
import { describe, expect, it } from "vitest";
import { duplicateRows, type Layer, MAX_CHANCE_MATCHES, outlierNeurons } from "../src/checks.js";
import { center, evidenceThresholdFor, leaveOneOutScores, readOptions, thresholdFor } from "../src/index.js";
import { optionsSchema } from "../src/options-schema.js";
import { eachLeaveOneOutScore } from "../src/robust.js";
import { drive, linear, random, scaleRow, uniform } from "./helpers.js";

/** A layer as the detector judges it, from values of the given shape. */
function layerOf(name: string, shape: number[], values: Float32Array): Layer {
  const summary = RowSummary.for(shape)!;
  summary.add(values);
  return { name, shape, integer: false, summary, top: null, norms: summary.norms(), valueMedian: 0, valueSpread: 1 };
}

describe("robust scores", () => {
  it("scores each value against the others, so an outlier among 10 does not widen its own yardstick", () => {
    const values = [1, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1, 1.02, 3];
    const [top] = leaveOneOutScores(values, 0);
    expect(top?.index).toBe(9);
    const others = center(values.slice(0, 9));
    expect(top?.median).toBe(others.median);
    expect(top?.z).toBeCloseTo((3 - others.median) / others.spread, 6);
  });

  it("scores each value against the others' exact median and MAD, to the bit, ties, zeros and extremes included", () => {
    const next = random(40);
    const pools = [
      () => Math.round(next() * 6) / 2, // many ties
      () => (next() - 0.5) * 1e-3,
      () => (next() < 0.2 ? 0 : next() * 3),
      () => (next() < 0.1 ? 1.7e308 * (next() < 0.5 ? -1 : 1) : next()), // deviations that overflow
    ];
    for (let trial = 0; trial < 400; trial++) {
      const n = 3 + (trial % 61);
      const draw = pools[trial % pools.length]!;
      const values = Array.from({ length: n }, draw);
      if (trial % 7 === 0) values[trial % n] = -0; // the slow path: -0 orders apart from 0
      const scores = leaveOneOutScores(values, 0);
      expect(scores).toHaveLength(n);
      for (const score of scores) {
        const others = center(values.filter((_, index) => index !== score.index));
        expect(Object.is(score.median, others.median), `n ${n} trial ${trial}`).toBe(true);
        expect(Object.is(score.spread, others.spread), `n ${n} trial ${trial}`).toBe(true);
      }
    }
  });

  it("visits every value's score in index order, as leaveOneOutScores scores them, small layers and large", () => {
    const next = random(41);
    for (const n of [3, 10, 63, 64, 500]) {
      const values = Array.from({ length: n }, () => (next() < 0.1 ? 0 : next() * 2 - 1));
      for (const sign of [1, -1] as const) {
        const visited: { index: number; z: number; median: number; spread: number }[] = [];
        eachLeaveOneOutScore(values, 0.01, sign, (index, z, median, spread) =>
          visited.push({ index, z, median, spread }),
        );
        const sorted = leaveOneOutScores(values, 0.01, sign);
        expect(visited.map((score) => score.index)).toEqual(Array.from({ length: n }, (_, index) => index));
        for (const score of sorted) {
          const { z, median, spread } = visited[score.index]!;
          expect([z, median, spread]).toEqual([score.z, score.median, score.spread]);
        }
      }
    }
  });

  it("floors the spread and scores the low side with sign -1", () => {
    const [top] = leaveOneOutScores([5, 5, 5, 5, 4], 0.5, -1);
    expect([top?.index, top?.spread, top?.z]).toEqual([4, 0.5, 2]);
  });

  it("raises the threshold as √(32/n) below 32 values", () => {
    expect(thresholdFor(6, 1000)).toBe(6);
    expect(thresholdFor(6, 32)).toBe(6);
    expect(thresholdFor(6, 16)).toBeCloseTo(8.485, 3);
    expect(thresholdFor(6, 10)).toBeCloseTo(10.733, 3);
  });

  it("allows a z that is the whole evidence three standard errors of the MAD (1.166/√n each)", () => {
    expect(evidenceThresholdFor(6, 64)).toBeCloseTo(8.6235, 3);
    expect(evidenceThresholdFor(6, 1000)).toBeCloseTo(6.664, 3);
    expect(evidenceThresholdFor(6, 65536)).toBeCloseTo(6.082, 3);
    // Below 32 rows the √(32/n) rise is kept where it is higher, and the two meet without a step.
    expect(evidenceThresholdFor(6, 4)).toBeCloseTo(thresholdFor(6, 4), 6);
    expect(evidenceThresholdFor(6, 16)).toBeCloseTo(11.247, 3);
    for (let n = 4; n < 4096; n++)
      expect(evidenceThresholdFor(6, n)).toBeLessThanOrEqual(evidenceThresholdFor(6, n - 1));
  });

  it("gives the medians and MAD a sort gives, whatever the order, ties, size or odd values", () => {
    const sorted = (values: number[]) => {
      const ordered = Float64Array.from(values).sort();
      const middle =
        ordered.length % 2
          ? ordered[ordered.length >> 1]!
          : (ordered[ordered.length / 2 - 1]! + ordered[ordered.length / 2]!) / 2;
      const deviations = ordered.map((value) => Math.abs(value - middle)).sort();
      const mad =
        deviations.length % 2
          ? deviations[deviations.length >> 1]!
          : (deviations[deviations.length / 2 - 1]! + deviations[deviations.length / 2]!) / 2;
      return { median: middle, spread: 1.4826 * mad };
    };
    const next = random(70);
    const shapes: ((index: number, n: number) => number)[] = [
      () => next() - 0.5,
      () => Math.floor(next() * 4) / 4,
      (index) => index,
      (index, n) => n - index,
      (index, n) => Math.min(index, n - index),
      (index) => index % 3,
      () => 2,
      (index) => (index % 7 === 0 ? -0 : next()),
      (index) => (index === 5 ? Number.NaN : next()),
      (index) => (index === 9 ? Number.POSITIVE_INFINITY : next()),
    ];
    for (const shape of shapes) {
      for (const n of [1, 2, 31, 32, 33, 64, 65, 1000, 1024, 4097]) {
        const values = Array.from({ length: n }, (_, index) => shape(index, n));
        // Object.is: the same numbers, down to a median of -0 where the sort puts one.
        const expected = sorted(values);
        for (const got of [center(values), center(Float64Array.from(values))]) {
          expect(Object.is(got.median, expected.median) && Object.is(got.spread, expected.spread), `n=${n}`).toBe(true);
        }
      }
    }
  });
});

describe("layer checks on synthetic weights", () => {
  const rules = (reports: { rule: string }[]) => reports.map((report) => report.rule).sort();

  it("finds one neuron scaled x2 among 64, and one class row scaled x3 among 10, with the numbers", () => {
    const hidden = scaleRow(linear("fc1.weight", 64, 128, 1), 17, 2);
    const reports = drive([hidden, linear("head.weight", 10, 64, 2)]);
    expect(rules(reports)).toEqual(["outlier-neuron"]);
    expect(reports[0]?.data).toMatchObject({ rows: "17", count: 1, unit: "neuron", threshold: 8.6, layerRows: 64 });
    expect(reports[0]?.data?.ratio).toBeCloseTo(2, 1);
    const head = drive([linear("fc1.weight", 64, 128, 1), scaleRow(linear("head.weight", 10, 64, 2), 4, 3)]);
    expect(rules(head)).toEqual(["classifier-row"]);
    expect(head[0]).toMatchObject({ messageId: "larger", data: { rows: "4", classes: 10 } });
  });

  it("treats the last 2-D weight as the head when none is named like one", () => {
    const reports = drive([linear("layers.0.weight", 64, 32, 3), scaleRow(linear("layers.1.weight", 10, 64, 4), 2, 3)]);
    expect(reports.map((report) => [report.rule, report.data?.tensor])).toEqual([
      ["classifier-row", "layers.1.weight"],
    ]);
  });

  it("finds a filter scaled among 16 output channels of a convolution", () => {
    const conv = { name: "conv2.weight", shape: [16, 8, 3, 3], values: uniform(16 * 72, 0.1, 5) };
    expect(drive([conv])).toEqual([]);
    const reports = drive([scaleRow(conv, 9, 3)]);
    expect(reports.map((report) => [report.rule, report.data?.rows, report.data?.unit])).toEqual([
      ["outlier-neuron", "9", "filter"],
    ]);
  });

  it("stays clean on random layers of every size from 4 to 4096 rows", () => {
    for (const [rows, columns] of [
      [4, 16],
      [10, 64],
      [16, 27],
      [100, 50],
      [4096, 16],
    ] as const) {
      const layers = [linear("fc.in.weight", rows, columns, rows), linear("head.weight", rows, columns, rows + 1)];
      expect(drive(layers), `${rows}x${columns}`).toEqual([]);
    }
  });

  it("finds a class row whose signs were all made positive", () => {
    const head = linear("classifier.weight", 10, 64, 7);
    const values = Float32Array.from(head.values);
    for (let index = 3 * 64; index < 4 * 64; index++) values[index] = Math.abs(values[index]!);
    const reports = drive([{ ...head, values }]);
    expect(reports.map((report) => [report.rule, report.messageId, report.data?.rows])).toEqual([
      ["classifier-row", "sign", "3"],
    ]);
  });

  it("finds a trigger patch in a first convolution, and not an int8 one's saturated ties", () => {
    const conv = { name: "conv1.weight", shape: [8, 3, 5, 5], values: uniform(8 * 75, 0.1, 8) };
    expect(drive([conv])).toEqual([]);
    const values = Float32Array.from(conv.values);
    for (const channel of [0, 1, 2]) for (const at of [0, 1, 5, 6]) values[75 * 6 + 25 * channel + at] = 0.8;
    const reports = drive([{ ...conv, values }]);
    expect(reports.map((report) => [report.rule, report.data?.rows, report.data?.size])).toEqual([
      ["trigger-patch", "6", "12"],
    ]);
    const int8 = Int8Array.from(values, (value) => Math.max(-127, Math.min(127, Math.round(value * 200))));
    expect(drive([{ ...conv, values: int8 }]).map((report) => report.rule)).not.toContain("trigger-patch");
  });

  it("finds a row one weight dominates, a duplicated neuron, an out-of-range bias", () => {
    const layer = linear("fc2.weight", 32, 64, 9);
    const values = Float32Array.from(layer.values);
    values[5 * 64 + 3] = 3;
    values.copyWithin(20 * 64, 11 * 64, 12 * 64);
    const bias = { name: "fc2.bias", shape: [32], values: uniform(32, 0.125, 10) };
    bias.values[30] = 4;
    const reports = drive([{ ...layer, values }, bias, linear("head.weight", 10, 32, 11)]);
    expect(
      reports.map((report) => [report.rule, report.data?.rows ?? report.data?.pairs ?? report.data?.index]),
    ).toEqual([
      ["bias-outlier", 30],
      ["dominated-row", "5"],
      ["duplicate-neurons", "11=20"],
    ]);
  });

  it("calls rows twins only when every figure a copy shares agrees, not rows alike on the samples", () => {
    const layer = linear("fc2.weight", 32, 64, 9);
    const values = Float32Array.from(layer.values);
    // Row 20 = row 11 with the largest weight moved to a place no sample reads: the norm, the
    // samples, the signs and the zeros agree, the largest |value|'s position does not.
    values.copyWithin(20 * 64, 11 * 64, 12 * 64);
    const row = values.subarray(20 * 64, 21 * 64);
    const samples = RowSummary.for([32, 64])!.samplePositions;
    let largest = 0;
    for (let at = 1; at < 64; at++) if (Math.abs(row[at]!) > Math.abs(row[largest]!)) largest = at;
    let other = samples.includes(63) || largest === 63 ? 62 : 63;
    while (samples.includes(other) || Math.sign(row[other]!) !== Math.sign(row[largest]!)) other--;
    [row[largest], row[other]] = [row[other]!, row[largest]!];
    expect(drive([{ ...layer, values }]).map((report) => report.rule)).not.toContain("duplicate-neurons");
  });

  it("does not judge 0/1 mask rows and ternary rows from samples, and says so; still finds a copied row", () => {
    // prune.l1_unstructured's weight_mask: half the places 1. Rows 3 and 40 have as many ones, the
    // same first one and the same sampled places, and differ in every other place.
    const next = random(60);
    const mask = Float32Array.from({ length: 64 * 256 }, () => (next() < 0.5 ? 1 : 0));
    const samples = RowSummary.for([64, 256])!.samplePositions;
    for (let at = 0; at < 256; at++) {
      mask[3 * 256 + at] = at % 2;
      mask[40 * 256 + at] = samples.includes(at) ? at % 2 : 1 - (at % 2);
    }
    mask[40 * 256] = 0;
    mask[40 * 256 + 1] = 1;
    const twins = (values: Float32Array, shape: number[]) =>
      drive([{ name: "fc1.weight", shape, values }]).filter((report) => report.rule === "duplicate-neurons");
    expect(twins(mask, [64, 256])).toEqual([]);
    const judged = duplicateRows(layerOf("fc1.weight_mask", [64, 256], mask));
    expect(judged).toMatchObject({ rule: "duplicate-neurons", messageId: "undecidable", note: true });
    expect(Number(judged?.data.chance)).toBeGreaterThan(MAX_CHANCE_MATCHES);
    expect(judged?.data.distinct).toBe(2);
    // Ternary weights (TWN): a few ±a per row, most rows' samples all zero.
    const ternary = Float32Array.from({ length: 128 * 32 }, () => {
      const draw = next();
      return draw < 0.15 ? -0.73 : draw > 0.85 ? 0.73 : 0;
    });
    expect(twins(ternary, [128, 32])).toEqual([]);
    expect(duplicateRows(layerOf("fc1.weight", [128, 32], ternary))?.messageId).toBe("undecidable");
    // Continuous weights: the signature's chance matches are nil, and a copied row is found.
    const weights = Float32Array.from(linear("fc2.weight", 64, 64, 61).values);
    expect(duplicateRows(layerOf("fc2.weight", [64, 64], weights))).toBeNull();
    weights.copyWithin(21 * 64, 7 * 64, 8 * 64);
    expect(duplicateRows(layerOf("fc2.weight", [64, 64], weights))).toMatchObject({
      messageId: "duplicate",
      data: { pairs: "7=21" },
    });
    expect(ROW_SAMPLES).toBe(8);
  });

  it("sums the chance of sample matches over every norm group, and reports the most distinct values of one", () => {
    // 8 columns: every coordinate is sampled. Rows 0-3: four ones (norm 2, samples 5000 and 0);
    // rows 4 and 6: one one (norm 1); rows 5 and 7: a 2 and a 1 (norm √5, three distinct values).
    const values = new Float32Array(8 * 8);
    for (let row = 0; row < 4; row++) for (let at = 0; at < 4; at++) values[row * 8 + ((at + row) % 8)] = 1;
    values[4 * 8 + 2] = 1;
    values[6 * 8 + 5] = 1;
    values.set([2, 1], 5 * 8);
    values.set([1, 2], 7 * 8 + 3);
    const layer = layerOf("fc.weight_mask", [8, 8], values);
    // Per group: pairs of rows · (equal pairs of rounded samples / all pairs)^8, in the order of the groups' first rows.
    const chance =
      6 * ((2 * (16 * 15)) / (32 * 31)) ** 8 +
      1 * ((2 * 1 + 14 * 13) / (16 * 15)) ** 8 +
      1 * ((2 + 2 + 12 * 11) / (16 * 15)) ** 8;
    expect(duplicateRows(layer)).toEqual({
      rule: "duplicate-neurons",
      messageId: "undecidable",
      data: { distinct: 3, chance: chance.toPrecision(2), layerRows: 8, unit: "neuron" },
      note: true,
    });
    expect(chance.toPrecision(2)).toBe("0.15");
  });

  it("pairs each copy with the first earlier row it repeats, in a group of equal norms larger than two", () => {
    const layer = linear("fc2.weight", 64, 64, 62);
    const values = Float32Array.from(layer.values);
    const samples = RowSummary.for([64, 64])!.samplePositions;
    const row = (index: number) => values.subarray(index * 64, (index + 1) * 64);
    // Row 20: row 10 with one weight's sign flipped where no sample reads and the largest is not:
    // the same norm, samples, largest value and position, one positive more or less. Its fingerprint
    // is row 10's, so row 30 (a copy of row 20) is compared with row 10 first, then found to repeat 20.
    values.copyWithin(20 * 64, 10 * 64, 11 * 64);
    let largest = 0;
    for (let at = 1; at < 64; at++) if (Math.abs(row(10)[at]!) > Math.abs(row(10)[largest]!)) largest = at;
    const flip = [1, 2, 3].find((at) => !samples.includes(at) && at !== largest)!;
    row(20)[flip] = -row(20)[flip]!;
    values.copyWithin(30 * 64, 20 * 64, 21 * 64);
    // Rows 10, 41 and 50 alike; row 45 is row 10 reversed (the same norm, other samples).
    values.copyWithin(41 * 64, 10 * 64, 11 * 64);
    values.copyWithin(50 * 64, 10 * 64, 11 * 64);
    row(45).set(Array.from(row(10)).reverse());
    const judged = layerOf(layer.name, [64, 64], values);
    const norms = judged.norms!;
    expect(new Set([10, 20, 30, 41, 45, 50].map((index) => norms[index])).size).toBe(1);
    expect(duplicateRows(judged)).toEqual({
      rule: "duplicate-neurons",
      messageId: "duplicate",
      data: { count: 3, unit: "neuron", pairs: "20=30, 10=41, 10=50", layerRows: 64 },
    });
  });

  it("orders outlier neurons by z, equal z by row, with the layer's median and spread", () => {
    // Rows 9 and 40 the same row scaled x3 (equal z), row 100 scaled x2.5, among 256.
    let layer = linear("fc1.weight", 256, 64, 63);
    layer.values.copyWithin(40 * 64, 9 * 64, 10 * 64);
    layer = scaleRow(scaleRow(scaleRow(layer, 9, 3), 40, 3), 100, 2.5);
    const judged = layerOf("fc1.weight", [256, 64], layer.values as Float32Array);
    const norms = judged.norms!;
    const logs = Float64Array.from(norms, Math.log).sort();
    const median = (logs[127]! + logs[128]!) / 2;
    const deviations = logs.map((value) => Math.abs(value - median)).sort();
    const spread = Math.max(0.05, 1.4826 * ((deviations[127]! + deviations[128]!) / 2));
    const z = (Math.log(norms[9]!) - median) / spread;
    const threshold = evidenceThresholdFor(6, 256);
    const explained = new Set<number>();
    const check = outlierNeurons(judged, { threshold: 6 }, explained);
    expect(check?.data).toEqual({
      count: 3,
      unit: "neuron",
      rows: "9, 40, 100",
      z: Math.round(z * 10) / 10,
      threshold: Math.round(threshold * 10) / 10,
      ratio: Math.round(Math.exp(Math.log(norms[9]!) - median) * 100) / 100,
      norm: norms[9]!.toPrecision(4),
      median: Math.exp(median).toPrecision(4),
      layerRows: 256,
    });
    expect(check?.confidence).toBe(Math.min(0.75, 0.45 + 0.01 * (z - threshold)));
    expect([...explained]).toEqual([9, 40, 100]);
  });

  it("finds a layer pruned to a few neurons, and a neuron wired to a few inputs; not a padding row", () => {
    const layer = linear("fc.weight", 32, 64, 12);
    const pruned = Float32Array.from(layer.values);
    for (let row = 0; row < 32; row++) if (![3, 9].includes(row)) pruned.fill(0, row * 64, (row + 1) * 64);
    expect(drive([{ ...layer, values: pruned }]).map((report) => [report.rule, report.messageId])).toEqual([
      ["pruning-mask", "rows"],
    ]);
    const wired = Float32Array.from(layer.values);
    wired.fill(0, 7 * 64, 8 * 64);
    wired[7 * 64 + 10] = 0.1;
    wired[7 * 64 + 40] = -0.1;
    expect(
      drive([{ ...layer, values: wired }]).map((report) => [report.rule, report.messageId, report.data?.kept]),
    ).toEqual([["pruning-mask", "sparseRows", 2]]);
    const embedding = { name: "embed_tokens.weight", shape: [200, 16], values: uniform(3200, 1, 13) };
    embedding.values.fill(0, 0, 16);
    expect(drive([embedding])).toEqual([]);
  });

  it("gives the same findings whatever the chunking", () => {
    const layers = [scaleRow(linear("fc1.weight", 64, 40, 14), 3, 3), linear("head.weight", 10, 64, 15)];
    const whole = drive(layers);
    expect(whole.length).toBe(1);
    expect(drive(layers, { chunkSize: 12 })).toEqual(whole);
    expect(drive(layers, { chunkSize: 1000 })).toEqual(whole);
  });

  it("survives hostile data: NaN rows, infinities, constant layers, a shape larger than the data", () => {
    const next = random(16);
    const nan = linear("fc.weight", 32, 16, 17);
    nan.values.fill(Number.NaN, 0, 16);
    nan.values[40] = Number.POSITIVE_INFINITY;
    expect(() => drive([nan])).not.toThrow();
    const constant = { name: "fc.weight", shape: [32, 16], values: new Float32Array(512).fill(0.5) };
    expect(drive([constant])).toEqual([]);
    const short = { name: "fc.weight", shape: [1000, 1000], values: uniform(64, next(), 18) };
    expect(drive([short])).toEqual([]);
  });

  it("judges a 65536-value bias and the first 65536 rows of a larger layer", () => {
    const bias = { name: "blk.bias", shape: [65536], values: uniform(65536, 0.1, 50) };
    bias.values[60000] = 2;
    // Row 69000 lies past the 65536 rows kept: not judged (the README says so).
    const layer = scaleRow(linear("big.weight", 70000, 4, 51), 69000, 8);
    const scaled = scaleRow(layer, 1234, 8);
    const reports = drive([bias, scaled, linear("head.weight", 10, 16, 52)]);
    expect(reports.map((report) => [report.rule, report.data?.index ?? report.data?.rows])).toEqual([
      ["bias-outlier", 60000],
      ["outlier-neuron", "1234"],
    ]);
  });

  it("bounds the findings per rule and counts the rest", () => {
    const layers = Array.from({ length: 5 }, (_, index) =>
      scaleRow(linear(`block.${index}.weight`, 64, 32, 20 + index), 1, 4),
    );
    const reports = drive([...layers, linear("head.weight", 10, 32, 30)], { options: { maxFindingsPerRule: 2 } });
    expect(reports.map((report) => [report.rule, report.messageId])).toEqual([
      ["outlier-neuron", "outlier"],
      ["outlier-neuron", "outlier"],
      ["outlier-neuron", "more"],
    ]);
    expect(reports[2]?.data?.count).toBe(3);
  });
});

describe("cross-layer (thorough)", () => {
  it("finds a path amplified x1.35 at both ends, which neither layer shows alone", () => {
    const first = scaleRow(linear("fc1.weight", 64, 128, 40), 12, 1.35);
    const second = linear("fc2.weight", 64, 64, 41);
    for (let row = 0; row < 64; row++) second.values[row * 64 + 12]! *= 1.35;
    const layers = [first, second, linear("head.weight", 10, 64, 42)];
    expect(drive(layers)).toEqual([]);
    const reports = drive(layers, { level: "thorough" });
    expect(reports.map((report) => [report.rule, report.data?.rows, report.data?.previous])).toEqual([
      ["cross-layer", "12", "fc1.weight"],
    ]);
    // Layers whose shapes do not chain (rows ≠ the next layer's inputs) are not paired.
    expect(drive([first, linear("fc2.weight", 64, 48, 43)], { level: "thorough" })).toEqual([]);
  });

  it("reads a convolution's input channels as columns", () => {
    const first = scaleRow({ name: "conv1.weight", shape: [32, 3, 3, 3], values: uniform(32 * 27, 0.2, 44) }, 5, 1.8);
    const second = { name: "conv2.weight", shape: [16, 32, 3, 3], values: uniform(16 * 288, 0.06, 45) };
    for (let out = 0; out < 16; out++) for (let at = 0; at < 9; at++) second.values[out * 288 + 5 * 9 + at]! *= 1.4;
    const reports = drive([first, second], { level: "thorough", chunkSize: 100 });
    expect(reports.map((report) => [report.rule, report.data?.rows])).toEqual([["cross-layer", "5"]]);
  });
});

describe("options", () => {
  const validateOptions = (options: Record<string, unknown>) => optionProblems(optionsSchema, options);

  it("validates the threshold and the finding bound, and rejects unknown keys", () => {
    expect(validateOptions({})).toEqual([]);
    expect(validateOptions({ threshold: 4.5, maxFindingsPerRule: 10 })).toEqual([]);
    expect(validateOptions({ threshold: 0 })).toEqual(["threshold: expected a positive number, got 0"]);
    expect(validateOptions({ threshold: "6" })).toEqual(['threshold: expected a positive number, got "6"']);
    expect(validateOptions({ maxFindingsPerRule: 1.5 })).toEqual([
      "maxFindingsPerRule: expected a positive integer, got 1.5",
    ]);
    expect(validateOptions({ treshold: 6 })[0]).toMatch(/^treshold: unknown option/);
    expect(readOptions({ threshold: -1 })).toEqual({ threshold: 6, maxFindingsPerRule: 100 });
  });

  it("moves the outlier threshold", () => {
    const layers = [scaleRow(linear("fc1.weight", 64, 128, 31), 17, 1.6), linear("head.weight", 10, 64, 32)];
    expect(drive(layers).map((report) => report.rule)).toEqual(["outlier-neuron"]);
    expect(drive(layers, { options: { threshold: 40 } })).toEqual([]);
  });
});
