import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { KernelMemory } from "@modelaudit/core/detector";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it, vi } from "vitest";
import { assemble, generatedSource } from "../scripts/assemble-kernels.mjs";
import { floatDecoder } from "../src/decode.js";
import { Float32Kernel, KERNEL_MAX_ROWS, KERNEL_MAX_VALUES } from "../src/float32-kernel.js";
import { blockDequantizer } from "../src/ggml-blocks.js";
import { ColumnSquares, RowSummary, TensorStatistics, TOP_MAGNITUDES, TopMagnitudes } from "../src/index.js";
import { countBuckets } from "../src/median-sketch.js";
import { Q8_0_KERNEL_MAX_BLOCKS, Q8_0Kernel } from "../src/q8-0-kernel.js";
import { ScaledBlocks } from "../src/scaled-blocks.js";

const kernels = path.join(import.meta.dirname, "../src/kernels");

/** Float32 values with the cases the comparisons must treat as JavaScript does. */
function awkwardValues(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const values = new Float32Array(length);
  for (let index = 0; index < length; index++) {
    const roll = random();
    values[index] =
      roll < 0.02
        ? Number.NaN
        : roll < 0.03
          ? Number.POSITIVE_INFINITY
          : roll < 0.04
            ? Number.NEGATIVE_INFINITY
            : roll < 0.1
              ? 0
              : roll < 0.13
                ? -0
                : roll < 0.2
                  ? 0.75 // ties for the largest |value|
                  : roll < 0.25
                    ? -0.75
                    : (random() - 0.5) * 1.5;
  }
  return values;
}

/** Everything a RowSummary exposes, to compare the kernel's figures with the JavaScript loop's. */
function figures(summary: RowSummary) {
  return {
    maxima: [...summary.maximumValues()],
    positions: [...summary.maximumPositions()],
    positives: [...summary.positives],
    zeros: [...summary.zeros],
    samples: [...summary.samples],
    norms: [...summary.norms()],
  };
}

describe("the SIMD kernels", () => {
  it("are assembled from the committed sources (scripts/assemble-kernels.mjs)", async () => {
    const sources = readdirSync(kernels).filter((name) => name.endsWith(".wat"));
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const name of sources) {
      const source = generatedSource(name, await assemble(path.join(kernels, name)));
      expect(readFileSync(path.join(kernels, name.replace(/\.wat$/, ".wasm.ts")), "utf8")).toBe(source);
    }
  });
});

/** Scales a quantizer writes (±2^-14 .. 2^-4) and ones a hostile file may hold: ±0, subnormals, the largest half. */
const Q8_SCALES = [0x2c00, 0xac00, 0x1400, 0x9555, 0x0000, 0x8000, 0x0001, 0x83ff, 0x7bff, 0xfbff];

/** q8_0 blocks of every kind: random quants (-128 included), all zero, a single ±127, a repeated pattern; assorted scales. */
function q8Window(blocks: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  // One byte of offset: blocks at odd addresses, as a window inside a GGUF file may be.
  const window = new Uint8Array(1 + blocks * 34).subarray(1);
  for (let block = 0; block < blocks; block++) {
    const d =
      random() < 0.8 ? Q8_SCALES[block % 4]! ^ Math.floor(random() * 0x3ff) : Q8_SCALES[block % Q8_SCALES.length]!;
    window[block * 34] = d & 0xff;
    window[block * 34 + 1] = d >>> 8;
    const kind = Math.floor(random() * 5);
    for (let j = 0; j < 32; j++) {
      const q =
        kind <= 1
          ? Math.floor(random() * 256) - 128
          : kind === 2
            ? 0
            : kind === 3
              ? j === 7
                ? random() < 0.5
                  ? 127
                  : -127
                : 3
              : [0, -128, 5, -5][j % 4]!;
      window[block * 34 + 2 + j] = q & 0xff;
    }
  }
  return window;
}

/** The window's extremes as ScaledBlocks gives them, every block scanned, in order. */
function scannedExtremes(blocks: ScaledBlocks): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let block = 0; block < blocks.count; block++) {
    blocks.scan(block);
    if (blocks.minimum(block) < min) min = blocks.minimum(block);
    if (blocks.maximum(block) > max) max = blocks.maximum(block);
  }
  return { min, max };
}

describe("the q8_0 SIMD kernel", () => {
  it("loads on this Node", () => {
    expect(Q8_0Kernel.get()).not.toBeNull();
  });

  it("gives a window's sums, extremes and zeros to the bit as ScaledBlocks does", () => {
    const kernel = Q8_0Kernel.get()!;
    for (const [count, seed] of [
      [Q8_0_KERNEL_MAX_BLOCKS, 1],
      [512, 2],
      [1, 3],
      [37, 4],
    ] as const) {
      const window = q8Window(count, seed);
      const blocks = ScaledBlocks.for("q8_0", Q8_0_KERNEL_MAX_BLOCKS)!;
      expect(blocks.read(window)).toBe(true);
      const result = kernel.window(window)!;
      expect(result).not.toBeNull();
      expect([result.count, result.segments]).toEqual([count, 1]);
      expect([result.sum, result.squares, result.zeros]).toEqual([blocks.sum, blocks.sumOfSquares, blocks.zeroCount]);
      const { min, max } = scannedExtremes(blocks);
      expect([Object.is(result.min, min), Object.is(result.max, max)]).toEqual([true, true]);
    }
  });

  it("reads blocks from shared memory at every alignment, and in place in the KernelMemory, to the same figures, values, counts and columns", () => {
    const kernel = Q8_0Kernel.get()!;
    const memory = KernelMemory.get()!;
    const javascript = blockDequantizer("q8_0", 34)!;
    const blocks = q8Window(300, 12);
    const wanted = new Float32Array(300 * 32);
    javascript(blocks, 300, wanted);
    const reference = { ...kernel.window(blocks)! };
    const referenceColumns = new Float64Array(64);
    kernel.columnSquares(blocks, 300, referenceColumns, 0);
    const expected = new Uint32Array(65536);
    countBuckets(new Uint32Array(wanted.buffer), expected);
    // As a large file's chunk is read: into shared memory (a buffer of its own, or an area of the
    // KernelMemory for the hashing thread), the blocks at any offset of it.
    const area = memory.chunk(blocks.length + 8)!;
    const placed = [
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((offset) => ({
        inPlace: false,
        offset,
        chunk: new Uint8Array(new SharedArrayBuffer(offset + blocks.length), offset),
      })),
      ...[0, 3, 8].map((offset) => ({ inPlace: true, offset, chunk: area.subarray(offset, offset + blocks.length) })),
    ];
    try {
      for (const { inPlace, offset, chunk } of placed) {
        const label = `offset ${offset}${inPlace ? " in the KernelMemory" : ""}`;
        chunk.set(blocks);
        const result = kernel.window(chunk)!;
        expect([result.count, result.sum, result.squares, result.min, result.max, result.zeros], label).toEqual([
          reference.count,
          reference.sum,
          reference.squares,
          reference.min,
          reference.max,
          reference.zeros,
        ]);
        // dequantize and histogram read the blocks where window put them.
        expect(Array.from(kernel.dequantize()).every((value, index) => Object.is(value, wanted[index]))).toBe(true);
        // In place, a scale changed after `window` is what `dequantize` sees (a copy is not).
        // A block with a nonzero quant, its scale set to binary16 1.0 (2.0 where it is 1.0 already).
        const at = 34 * (wanted.findIndex((value) => value !== 0) >> 5);
        const scale = chunk.slice(at, at + 2);
        const factor = scale[0] === 0 && scale[1] === 0x3c ? 2 : 1;
        chunk.set([0, factor === 2 ? 0x40 : 0x3c], at);
        const rescaled = Array.from(
          new Int8Array(chunk.buffer, chunk.byteOffset + at + 2, 32),
          (quant) => quant * factor,
        );
        const block = kernel.dequantize().subarray((at / 34) * 32, (at / 34) * 32 + 32);
        expect(Array.from(block).join() === rescaled.join(), label).toBe(inPlace);
        chunk.set(scale, at);
        const counters = kernel.counters.take();
        kernel.window(chunk);
        kernel.histogram(counters);
        expect(
          counters.every((count, bucket) => count === expected[bucket]),
          label,
        ).toBe(true);
        kernel.counters.giveBack(counters);
        const decoded = new Float32Array(300 * 32);
        kernel.decode(chunk, 300, decoded);
        expect(decoded.every((value, index) => Object.is(value, wanted[index]))).toBe(true);
        const columns = new Float64Array(64);
        kernel.columnSquares(chunk, 300, columns, 0);
        expect(Array.from(columns), label).toEqual(Array.from(referenceColumns));
      }
    } finally {
      memory.giveBack(area);
    }
  });

  it("decodes the window it read last to the float32 values of the JavaScript q8_0 decoder, -0 included", () => {
    const kernel = Q8_0Kernel.get()!;
    const javascript = blockDequantizer("q8_0", 34)!;
    for (const [count, seed] of [
      [Q8_0_KERNEL_MAX_BLOCKS, 5],
      [3, 6],
    ] as const) {
      const window = q8Window(count, seed);
      kernel.window(window);
      const values = Array.from(kernel.dequantize());
      const wanted = new Float32Array(count * 32);
      javascript(window, count, wanted);
      expect(values.length).toBe(count * 32);
      expect(values.every((value, index) => Object.is(value, wanted[index]))).toBe(true);
    }
  });

  it("is the q8_0 decoder: any number of blocks, in kernel-sized pieces, the JavaScript decoder's values", () => {
    const javascript = blockDequantizer("q8_0", 34)!;
    const decoder = floatDecoder("q8_0")!;
    for (const [count, seed] of [
      [2 * Q8_0_KERNEL_MAX_BLOCKS + 77, 14],
      [Q8_0_KERNEL_MAX_BLOCKS, 15],
      [1, 16],
    ] as const) {
      const bytes = q8Window(count + 1, seed);
      const wanted = new Float32Array(count * 32);
      javascript(bytes, count, wanted);
      // A trailing partial block is not decoded.
      const values = Array.from(decoder.decode(bytes.subarray(0, count * 34 + 20)));
      expect(values.length).toBe(count * 32);
      expect(values.every((value, index) => Object.is(value, wanted[index]))).toBe(true);
    }
  });

  it("counts a window's values into its own bucket counters as the median sketch counts their decoded values", () => {
    const kernel = Q8_0Kernel.get()!;
    const counters = kernel.counters.take();
    expect(kernel.ownsCounters(counters)).toBe(true);
    try {
      const window = q8Window(Q8_0_KERNEL_MAX_BLOCKS, 17);
      kernel.window(window);
      kernel.histogram(counters);
      kernel.histogram(counters);
      const wanted = new Uint32Array(65536);
      const bits = new Uint32Array(kernel.dequantize().slice().buffer);
      for (const word of bits) wanted[word >>> 16]! += 2;
      expect(Array.from(counters)).toEqual(Array.from(wanted));
      expect(() => kernel.histogram(new Uint32Array(65536))).toThrow(RangeError);
    } finally {
      kernel.counters.giveBack(counters);
    }
  });

  it("lends four bucket counters at a time, zeroed, then plain ones; the sketch's result gives them back", () => {
    const kernel = Q8_0Kernel.get()!;
    const lent = [1, 2, 3, 4].map(() => kernel.counters.take());
    const plain = kernel.counters.take();
    expect(lent.map((counters) => kernel.ownsCounters(counters))).toEqual([true, true, true, true]);
    expect(kernel.ownsCounters(plain)).toBe(false);
    // With every slot lent, statistics count through decoded values: the same median and MAD.
    const shape = [64, 1024];
    const bytes = q8Window(64 * 32, 18);
    const decodedPath = new TensorStatistics("q8_0", shape, { robustEvery: 4, exactValues: 64 });
    decodedPath.data(bytes, 0);
    decodedPath.end(true);
    for (const counters of [plain, ...lent]) kernel.counters.giveBack(counters);
    const kernelPath = new TensorStatistics("q8_0", shape, { robustEvery: 4, exactValues: 64 });
    kernelPath.data(bytes, 0);
    kernelPath.end(true);
    expect(kernelPath.robustExact).toBe(false);
    expect([kernelPath.median, kernelPath.mad]).toEqual([decodedPath.median, decodedPath.mad]);
    expect(kernelPath.summary()).toEqual(decodedPath.summary());
    // Its counters went back: four are free again, and zeroed when lent.
    const again = [1, 2, 3, 4].map(() => kernel.counters.take());
    expect(again.every((counters) => kernel.ownsCounters(counters) && counters.every((count) => count === 0))).toBe(
      true,
    );
    for (const counters of again) kernel.counters.giveBack(counters);
  });

  it("leaves rows longer than its 32-bit block counts to the JavaScript path, with the same figures", () => {
    // A shape no file fills (2^32 + 5 blocks a row, 5 in 32 bits): the data ends early, but the
    // rows seen must be right.
    const shape = [2, 2 ** 37 + 5 * 32];
    const bytes = q8Window(3 * 512 + 7, 8);
    const statistics = new TensorStatistics("q8_0", shape, { robustEvery: 16 });
    const reference = RowSummary.for(shape)!;
    const blocks = ScaledBlocks.for("q8_0", 512)!;
    for (let start = 0; start < bytes.length; start += 512 * 34) {
      const window = bytes.subarray(start, start + 512 * 34);
      statistics.data(window, start);
      expect(blocks.read(window)).toBe(true);
      reference.addBlocks(blocks);
    }
    statistics.end(false);
    expect(figures(statistics.rows!)).toEqual(figures(reference));
  });

  it("tells the range of a chunk's scales to whoever reads that same chunk next, and only that chunk", () => {
    const bytes = q8Window(3 * 512 + 100, 12);
    const statistics = new TensorStatistics("q8_0", [3 * 16 + 3, 1024], { robustEvery: 16 });
    const chunk = bytes.subarray(0, 3 * 512 * 34 + 50 * 34);
    statistics.data(chunk, 0);
    const blocks = ScaledBlocks.for("q8_0", 3 * 512 + 50)!;
    expect(blocks.read(chunk)).toBe(true);
    let least = Number.POSITIVE_INFINITY;
    let greatest = Number.NEGATIVE_INFINITY;
    for (let block = 0; block < blocks.count; block++) {
      least = Math.min(least, blocks.scales[block]!);
      greatest = Math.max(greatest, blocks.scales[block]!);
    }
    expect(statistics.blockScalesOf(chunk)).toEqual({ least, greatest });
    // Another view of the same bytes, or the next chunk: not known.
    expect(statistics.blockScalesOf(bytes.subarray(0, chunk.length))).toBeNull();
    const rest = bytes.subarray(chunk.length);
    statistics.data(rest, chunk.length);
    expect(statistics.blockScalesOf(chunk)).toBeNull();
    expect(statistics.blockScalesOf(rest)).not.toBeNull();
    // A chunk with a NaN scale goes through the float path: its range is not known.
    const broken = q8Window(600, 13);
    broken[550 * 34 + 1] = 0x7e;
    const other = new TensorStatistics("q8_0", [600, 32], { robustEvery: 16 });
    other.data(broken, 0);
    expect(other.blockScalesOf(broken)).toBeNull();
  });

  it("refuses a window with a NaN or infinite scale, as ScaledBlocks does", () => {
    const kernel = Q8_0Kernel.get()!;
    for (const scale of [0x7c00, 0xfc00, 0x7e00, 0xfe01]) {
      const window = q8Window(100, 9);
      window[60 * 34] = scale & 0xff;
      window[60 * 34 + 1] = scale >>> 8;
      expect(ScaledBlocks.for("q8_0", 100)!.read(window)).toBe(false);
      expect(kernel.window(window)).toBeNull();
    }
  });

  it("gives RowSummary the figures of addBlocks: rows shorter and longer than a window, split across windows, truncated", () => {
    const kernel = Q8_0Kernel.get()!;
    for (const [rows, rowBlocks, windowBlocks, maxRows, seed] of [
      [300, 1, 512, 65536, 1],
      [100, 3, 512, 65536, 2],
      [40, 16, 77, 65536, 3],
      [3, 600, 512, 65536, 4],
      [50, 5, 128, 20, 5],
      [7, 1024, 1024, 65536, 6],
    ] as const) {
      const bytes = q8Window(rows * rowBlocks, seed);
      const shape = [rows, rowBlocks * 32];
      const withKernel = RowSummary.for(shape, maxRows)!;
      const withBlocks = RowSummary.for(shape, maxRows)!;
      const blocks = ScaledBlocks.for("q8_0", windowBlocks)!;
      for (let start = 0; start < bytes.length; start += windowBlocks * 34) {
        const window = bytes.subarray(start, start + windowBlocks * 34);
        const result = kernel.window(window, rowBlocks, withKernel.remainingInRow / 32)!;
        withKernel.addSegments(result, window);
        expect(blocks.read(window)).toBe(true);
        withBlocks.addBlocks(blocks);
      }
      expect(figures(withKernel)).toEqual(figures(withBlocks));
    }
  });
});

describe("the float32 SIMD kernel", () => {
  it("loads on this Node", () => {
    expect(Float32Kernel.get()).not.toBeNull();
  });

  it("gives RowSummary the JavaScript loop's figures: NaN, infinities, -0, ties, rows split across windows", () => {
    for (const [rows, rowLength, window, seed] of [
      [40, 37, 1000, 1],
      [12, 1024, 4096, 2],
      [9, 1000, 16384, 3],
      [30, 17, 5, 4],
      [7, 4099, 777, 5],
      [300, 9, 1000, 6],
      [500, 3, 777, 7],
      [3000, 64, 16384, 8],
    ] as const) {
      const values = awkwardValues(rows * rowLength, seed);
      const withKernel = RowSummary.for([rows, rowLength])!;
      const withLoop = RowSummary.for([rows, rowLength])!;
      for (let start = 0; start < values.length; start += window) {
        const part = values.subarray(start, start + window);
        withKernel.add(part);
        const covered = { ...withKernel.covered };
        // A Float64Array window takes the JavaScript loop.
        withLoop.add(Float64Array.from(part));
        expect(withLoop.covered.min).toBe(covered.min);
        expect(withLoop.covered.max).toBe(covered.max);
        expect(withLoop.covered.zeros).toBe(covered.zeros);
        if (Number.isFinite(covered.sum)) expect(covered.sum).toBeCloseTo(withLoop.covered.sum, 9);
        else expect(Number.isFinite(withLoop.covered.sum)).toBe(false);
      }
      const kernel = figures(withKernel);
      const loop = figures(withLoop);
      expect(kernel.maxima).toEqual(loop.maxima);
      expect(kernel.positions).toEqual(loop.positions);
      expect(kernel.positives).toEqual(loop.positives);
      expect(kernel.zeros).toEqual(loop.zeros);
      expect(kernel.samples).toEqual(loop.samples);
      for (const [row, norm] of loop.norms.entries()) {
        if (Number.isNaN(norm)) expect(kernel.norms[row]).toBeNaN();
        else expect(kernel.norms[row]).toBeCloseTo(norm, 9);
      }
    }
  });

  it("summarizes many whole rows in one call to the bit as a call per row does, rows of any length", () => {
    const kernel = Float32Kernel.get()!;
    for (const [at, length] of [1, 2, 3, 4, 5, 7, 9, 15, 16, 17, 37, 64, 1023].entries()) {
      const rows = Math.min(KERNEL_MAX_ROWS, Math.floor(KERNEL_MAX_VALUES / length / 2));
      // Rows that start at odd addresses too: the window starts one value in.
      const values = awkwardValues(rows * length + 1, at + 20).subarray(1);
      kernel.load(values);
      const { doubles, floats, integers } = kernel.rows(0, length, rows);
      const batched = Array.from({ length: rows }, (_, row) => ({
        sum: doubles[5 * row],
        squares: doubles[5 * row + 1],
        min: floats[10 * row + 4],
        max: floats[10 * row + 5],
        largest: floats[10 * row + 6],
        largestAt: integers[10 * row + 7],
        zeros: integers[10 * row + 8],
        positives: integers[10 * row + 9],
      }));
      for (const [row, figures] of batched.entries()) {
        expect(figures, `length ${length}, row ${row}`).toEqual({ ...kernel.summarize(row * length, length) });
      }
    }
  });

  it("finds the first largest |value| of a row whichever lane holds it", () => {
    const kernel = Float32Kernel.get()!;
    for (let at = 0; at < 12; at++) {
      const values = new Float32Array(13).fill(0.5);
      values[at] = -2;
      values[12 - (at % 3)] = 2; // a later tie does not move it
      kernel.load(values);
      const result = kernel.summarize(0, 13);
      expect([result.largest, result.largestAt]).toEqual([2, Math.min(at, 12 - (at % 3))]);
      // The same place from the many-rows call (its last value is past the four-value steps).
      const { floats, integers } = kernel.rows(0, 13, 1);
      expect([floats[6], integers[7]]).toEqual([2, Math.min(at, 12 - (at % 3))]);
    }
    // NaN in every lane, a number only past the four-value steps; and an infinity, whose |value| is the largest.
    const tailOnly = new Float32Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN, -3]);
    kernel.load(tailOnly);
    expect([kernel.summarize(0, 5).largest, kernel.summarize(0, 5).largestAt]).toEqual([3, 4]);
    const infinite = new Float32Array([1, Number.NaN, Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY, 0, 0, 0]);
    kernel.load(infinite);
    expect([kernel.summarize(0, 8).largest, kernel.summarize(0, 8).largestAt]).toEqual([Number.POSITIVE_INFINITY, 2]);
    const noNumber = new Float32Array(8).fill(Number.NaN);
    kernel.load(noNumber);
    expect([kernel.summarize(0, 8).largest, kernel.summarize(0, 8).largestAt]).toEqual([-1, 0]);
  });

  it("counts the window it loaded as the median sketch counts it: NaN, infinities, -0, any length", () => {
    const kernel = Float32Kernel.get()!;
    const counters = kernel.counters.take();
    expect(kernel.counters.owns(counters)).toBe(true);
    for (const length of [0, 1, 3, 4, 7, 16384, KERNEL_MAX_VALUES]) {
      const values = awkwardValues(length, 40 + length);
      counters.fill(0);
      kernel.load(values);
      expect(kernel.histogram(values, counters)).toBe(true);
      const expected = new Uint32Array(65536);
      countBuckets(new Uint32Array(values.buffer), expected);
      expect(
        counters.every((count, bucket) => count === expected[bucket]),
        `length ${length}`,
      ).toBe(true);
    }
    // Values it did not load last, or counters it did not lend, are left to the caller.
    const loaded = awkwardValues(64, 3);
    kernel.load(loaded);
    expect(kernel.histogram(loaded.slice(), counters)).toBe(false);
    expect(kernel.histogram(loaded, new Uint32Array(65536))).toBe(false);
    kernel.counters.giveBack(counters);
  });

  it("reads windows from shared memory at either alignment, and in place in the KernelMemory, to the same figures and counts", () => {
    const kernel = Float32Kernel.get()!;
    const memory = KernelMemory.get()!;
    const values = awkwardValues(10_001, 91);
    kernel.load(values);
    const reference = { ...kernel.summarize(0, values.length) };
    const counters = kernel.counters.take();
    kernel.histogram(values, counters);
    const referenceCounts = counters.slice();
    // As a large file's chunk is read: into shared memory (a buffer of its own, or an area of the
    // KernelMemory for the hashing thread), the window at any 4-byte offset of it.
    const area = memory.chunk(values.byteLength + 16)!;
    const windows = [0, 4, 8, 12].flatMap((offset) => [
      {
        inPlace: false,
        offset,
        window: new Float32Array(new SharedArrayBuffer(offset + values.byteLength), offset, values.length),
      },
      { inPlace: true, offset, window: new Float32Array(area.buffer, area.byteOffset + offset, values.length) },
    ]);
    try {
      for (const { inPlace, offset, window } of windows) {
        const label = `offset ${offset}${inPlace ? " in the KernelMemory" : ""}`;
        window.set(values);
        kernel.load(window);
        // In place, a value changed after `load` is what the kernel sees (a copy is not).
        window[0] = 1e30;
        expect(kernel.summarize(0, 4).max === Math.fround(1e30), label).toBe(inPlace);
        window[0] = values[0]!;
        if (!inPlace) kernel.load(window);
        expect({ ...kernel.summarize(0, values.length) }, label).toEqual(reference);
        counters.fill(0);
        expect(kernel.histogram(window, counters)).toBe(true);
        expect(
          counters.every((count, bucket) => count === referenceCounts[bucket]),
          label,
        ).toBe(true);
      }
    } finally {
      memory.giveBack(area);
      kernel.counters.giveBack(counters);
    }
  });

  it("gives the sketch the same median and MAD counted in its memory as counted by the loop", () => {
    const kernel = Float32Kernel.get()!;
    const shape = [300, 1000];
    const values = awkwardValues(shape[0]! * shape[1]!, 77);
    const bytes = new Uint8Array(values.buffer);
    const feed = () => {
      const statistics = new TensorStatistics("f32", shape, { exactValues: 64 });
      for (let offset = 0; offset < bytes.length; offset += 1 << 18)
        statistics.data(bytes.subarray(offset, offset + (1 << 18)), offset);
      statistics.end(true);
      return statistics;
    };
    const kernelPath = feed();
    // With every slot lent, the sketch counts in pooled counters by the JavaScript loop.
    const lent = [1, 2, 3, 4].map(() => kernel.counters.take());
    expect(lent.every((counters) => kernel.counters.owns(counters))).toBe(true);
    const loopPath = feed();
    for (const counters of lent) kernel.counters.giveBack(counters);
    expect(kernelPath.robustExact).toBe(false);
    expect([kernelPath.median, kernelPath.mad]).toEqual([loopPath.median, loopPath.mad]);
    expect(kernelPath.summary()).toEqual(loopPath.summary());
  });

  it("takes windows up to its memory and leaves longer ones to the loop", () => {
    expect(KERNEL_MAX_VALUES).toBeGreaterThanOrEqual(16384);
    const values = new Float32Array(KERNEL_MAX_VALUES + 4).fill(1);
    const summary = RowSummary.for([2, values.length / 2])!;
    expect(summary.add(values)).toBe(values.length);
    expect([...summary.norms()]).toEqual([Math.sqrt(values.length / 2), Math.sqrt(values.length / 2)]);
  });
});

describe("MODELAUDIT_NO_SIMD", () => {
  it("leaves the kernels out (test/without-simd.test.ts runs the statistics tests that way)", async () => {
    vi.resetModules();
    process.env.MODELAUDIT_NO_SIMD = "1";
    try {
      const fresh = await import("../src/float32-kernel.js");
      expect(fresh.Float32Kernel.get()).toBeNull();
    } finally {
      delete process.env.MODELAUDIT_NO_SIMD;
    }
  });
});

describe("the float32 kernel for values outside rows", () => {
  it("gives a vector's moments, extremes, zeros and non-finite counts as the plain loop does", () => {
    const random = seededRandom(11);
    const values = awkwardValues(50_000, 12);
    // Far from zero next to their spread: the plain sums cancel and the window is read again carefully.
    const offset = Float32Array.from({ length: 20_000 }, () => 1e6 + random());
    for (const data of [values, offset]) {
      const withKernel = new TensorStatistics("f32", [data.length], { robustEvery: 16 });
      const withLoop = new TensorStatistics("f64", [data.length], { robustEvery: 16 });
      withKernel.data(new Uint8Array(data.buffer), 0);
      withLoop.data(new Uint8Array(Float64Array.from(data).buffer), 0);
      withKernel.end(true);
      withLoop.end(true);
      for (const key of [
        "elements",
        "finite",
        "nan",
        "positiveInfinity",
        "negativeInfinity",
        "zeros",
        "min",
        "max",
      ] as const) {
        expect(withKernel[key], key).toBe(withLoop[key]);
      }
      expect(withKernel.mean).toBeCloseTo(withLoop.mean, 9);
      expect(withKernel.variance / withLoop.variance).toBeCloseTo(1, 9);
    }
  });
});

describe("the column-squares kernel", () => {
  it("sums each column's squares to the same bits as the JavaScript loop, rows wrapping", () => {
    const values = awkwardValues(200_003, 21);
    // Row lengths around the kernel's four-value step; pieces starting mid-row and crossing the
    // kernel's 65,536-value calls.
    for (const columns of [1, 3, 4, 7, 64, 4099, 65_536]) {
      const kernel = new ColumnSquares(columns);
      const loop = new ColumnSquares(columns, { useKernel: false });
      let kernelColumn = 0;
      let loopColumn = 0;
      for (const [start, end] of [
        [0, 5],
        [5, 70_001],
        [70_001, 70_001],
        [70_001, 200_003],
      ] as const) {
        kernelColumn = kernel.add(values, start, end, kernelColumn);
        loopColumn = loop.add(values, start, end, loopColumn);
        expect(kernelColumn, `${columns} columns`).toBe(loopColumn);
      }
      expect(kernelColumn).toBe(200_003 % columns);
      expect(Object.is(kernel.sums[0], loop.sums[0])).toBe(true);
      expect([...kernel.sums]).toEqual([...loop.sums]);
    }
  });

  it("reads values in place in the KernelMemory (a chunk read there) to the same bits as from a copy", () => {
    const values = awkwardValues(300_001, 22);
    const area = KernelMemory.get()?.chunk(values.byteLength + 4) as Uint8Array;
    expect(area).toBeTruthy();
    // At an address that is 4 mod 8, as a chunk's tensor data may start.
    const inPlace = new Float32Array(area.buffer, area.byteOffset + 4, values.length);
    inPlace.set(values);
    try {
      for (const columns of [5, 4096]) {
        const shared = new ColumnSquares(columns);
        const copied = new ColumnSquares(columns);
        const loop = new ColumnSquares(columns, { useKernel: false });
        let column = shared.add(inPlace, 0, 250_000, 0);
        column = shared.add(inPlace, 250_000, 300_001, column);
        expect(column).toBe(300_001 % columns);
        copied.add(values, 0, 300_001, 0);
        loop.add(values, 0, 300_001, 0);
        expect([...shared.sums]).toEqual([...loop.sums]);
        expect([...copied.sums]).toEqual([...loop.sums]);
      }
    } finally {
      KernelMemory.get()?.giveBack(area);
    }
  });

  it("adds float64 values in float64 (no rounding to float32)", () => {
    const squares = new ColumnSquares(2);
    squares.add(Float64Array.of(1 + 2 ** -40, 3, 1 + 2 ** -40), 0, 3, 0);
    expect(squares.sums[0]).toBe((1 + 2 ** -40) ** 2 * 2);
    expect(squares.sums[1]).toBe(9);
    expect(() => new ColumnSquares(0)).toThrow(RangeError);
    expect(() => new ColumnSquares(65_537)).toThrow(RangeError);
  });

  it("squares q8_0 blocks straight from their bytes to the same bits as the decoded values' loop", () => {
    // Subnormal, zero, negative and the largest finite scales; and one infinite, one NaN.
    const data = q8Window(3000, 31);
    data.set([0x00, 0x7c], 700 * 34);
    data.set([0x01, 0x7e], 2000 * 34);
    for (const columns of [32, 96, 4096]) {
      const kernel = new ColumnSquares(columns, { dtype: "q8_0" });
      const loop = new ColumnSquares(columns, { dtype: "q8_0", useKernel: false });
      let kernelColumn = 0;
      let loopColumn = 0;
      // Chunks of whole blocks, across the kernel's 1024-block calls; the last one cut by `limit`.
      for (const [start, end, limit] of [
        [0, 1, 32],
        [1, 1500, 1499 * 32],
        [1500, 3000, 640],
      ] as const) {
        const chunk = data.subarray(start * 34, end * 34);
        kernelColumn = kernel.addBytes(chunk, kernelColumn, limit);
        loopColumn = loop.addBytes(chunk, loopColumn, limit);
        expect(kernelColumn, `${columns} columns`).toBe(loopColumn);
      }
      expect(kernelColumn).toBe(((1 + 1499 + 20) * 32) % columns);
      expect([...kernel.sums]).toEqual([...loop.sums]);
    }
  });
});

describe("the top-magnitudes kernel", () => {
  it("keeps each row's largest |values| as the JavaScript loop does: NaN, infinities, -0, ties, rows split anywhere", () => {
    for (const [rows, rowLength, piece, seed] of [
      [6, 700, 350, 30],
      [6, 300, 7, 35],
      [4, 5000, 1024, 31],
      [50, 3, 2, 32],
      [3, 100_000, 70_000, 33],
    ] as const) {
      const values = awkwardValues(rows * rowLength, seed);
      const kernel = new TopMagnitudes(rows);
      const loop = new TopMagnitudes(rows, { useKernel: false });
      for (let row = 0; row < rows; row++) {
        for (let at = row * rowLength; at < (row + 1) * rowLength; at += piece) {
          const end = Math.min((row + 1) * rowLength, at + piece);
          kernel.add(row, values, at, end);
          loop.add(row, values, at, end);
        }
      }
      for (let row = 0; row < rows; row++) {
        expect(Array.from(kernel.row(row)), `${rowLength}: row ${row}`).toEqual(Array.from(loop.row(row)));
        // Short rows keep what they have (less what is NaN or infinite); long ones the full count.
        expect(kernel.row(row).length).toBeLessThanOrEqual(Math.min(TOP_MAGNITUDES, rowLength));
        if (rowLength >= 300) expect(kernel.row(row).length).toBe(TOP_MAGNITUDES);
      }
    }
  });

  it("reads values in place in the KernelMemory, at any alignment, to the same values", () => {
    const memory = KernelMemory.get()!;
    const values = awkwardValues(40_000, 34);
    const area = memory.chunk(values.byteLength + 4)!;
    try {
      for (const shift of [0, 4]) {
        const inPlace = new Float32Array(area.buffer, area.byteOffset + shift, values.length);
        inPlace.set(values);
        const kernel = new TopMagnitudes(2);
        const loop = new TopMagnitudes(2, { useKernel: false });
        kernel.add(0, inPlace, 0, 25_000);
        kernel.add(1, inPlace, 25_000, 40_000);
        loop.add(0, values, 0, 25_000);
        loop.add(1, values, 25_000, 40_000);
        expect(Array.from(kernel.row(0))).toEqual(Array.from(loop.row(0)));
        expect(Array.from(kernel.row(1))).toEqual(Array.from(loop.row(1)));
      }
    } finally {
      memory.giveBack(area);
    }
  });
});
