import { describe, expect, it } from "vitest";
import { floatFormatOf, TensorScanner } from "../src/index.js";
import { embedLowBytes, embedLsb, normalFloat32 } from "./support/random-weights.js";

function scan(dtype: string, bytes: Uint8Array, pieces: number[] = []) {
  const format = floatFormatOf(dtype);
  if (!format) throw new Error(dtype);
  const scanner = new TensorScanner(format, bytes.length);
  let position = 0;
  for (const size of pieces) {
    scanner.push(bytes.subarray(position, position + size));
    position += size;
  }
  scanner.push(bytes.subarray(position));
  return scanner.end();
}

const bytesOf = (values: Float32Array | Float64Array | Uint16Array) =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

describe("dtype names", () => {
  it("reads the little-endian float dtypes every handler names, and nothing else", () => {
    for (const name of ["F32", "<f4", "FLOAT", "FLOAT32", "float32", "FloatStorage"]) {
      expect(floatFormatOf(name)?.kind, name).toBe("float32");
    }
    for (const name of ["F16", "<f2", "FLOAT16", "HalfStorage"])
      expect(floatFormatOf(name)?.kind, name).toBe("float16");
    for (const name of ["BF16", "BFLOAT16", "BFloat16Storage"])
      expect(floatFormatOf(name)?.kind, name).toBe("bfloat16");
    for (const name of ["F64", "<f8", "DOUBLE", "FLOAT64", "DoubleStorage"]) {
      expect(floatFormatOf(name)?.kind, name).toBe("float64");
    }
    for (const name of [">f4", "Q4_K", "Q8_0", "storage", "I32", "U8", "F8_E4M3", "FLOAT8E4M3FN", "<i8", "|b1"]) {
      expect(floatFormatOf(name), name).toBeNull();
    }
  });
});

describe("bit extraction", () => {
  const payload = Buffer.from("#!/bin/sh\necho extracted from the bits\n");

  it("assembles LSB bytes most significant bit first", () => {
    const values = normalFloat32(4096, 1);
    embedLsb(values, payload, 0, true);
    expect(scan("F32", bytesOf(values)).hidden).toMatchObject({
      stream: "lsb-msb-first",
      signature: { kind: "shebang", offset: 0 },
    });
  });

  it("assembles LSB bytes least significant bit first", () => {
    const values = normalFloat32(4096, 2);
    embedLsb(values, payload, 64, false);
    expect(scan("F32", bytesOf(values)).hidden).toMatchObject({
      stream: "lsb-lsb-first",
      signature: { kind: "shebang", offset: 8 },
    });
  });

  it("checks signatures only at whole bytes from the tensor start", () => {
    const values = normalFloat32(4096, 3);
    embedLsb(values, payload, 3, true);
    expect(scan("F32", bytesOf(values)).hidden).toBeNull();
  });

  it("reads the low byte of each float32 and float64 value", () => {
    const text = Buffer.from("Hidden words in the low byte of every float value are still plain readable text");
    const values = normalFloat32(4096, 4);
    embedLowBytes(values, text, 500);
    expect(scan("F32", bytesOf(values)).hidden).toMatchObject({ stream: "low-byte", text: { start: 500 } });
    const doubles = Float64Array.from(normalFloat32(4096, 5));
    const bytes = bytesOf(doubles);
    for (const [index, byte] of text.entries()) bytes[(100 + index) * 8] = byte;
    expect(scan("F64", bytes).hidden).toMatchObject({ stream: "low-byte", text: { start: 100 } });
  });

  it("reads float16 and bfloat16 LSBs and values", () => {
    const halves = new Uint16Array(4096);
    for (let index = 0; index < halves.length; index++) halves[index] = 0x3c00 | ((index * 37) & 0x3fe); // ~1.x, LSB 0
    for (const [index, byte] of [...payload].entries()) {
      for (let bit = 0; bit < 8; bit++) {
        const at = index * 8 + bit;
        halves[at] = (halves[at] as number) | ((byte >> (7 - bit)) & 1);
      }
    }
    const half = scan("F16", bytesOf(halves));
    expect(half.hidden?.signature?.kind).toBe("shebang");
    expect(half.statistics.min).toBeGreaterThanOrEqual(1);
    expect(half.statistics.max).toBeLessThan(2);
    const brain = scan("BF16", bytesOf(Uint16Array.of(0x3f80, 0xbf80, 0x7fc0, 0xff80)));
    expect([
      brain.statistics.min,
      brain.statistics.max,
      brain.statistics.nan,
      brain.statistics.negativeInfinity,
    ]).toEqual([-1, 1, 1, 1]);
  });

  it("gives the same result whatever the pieces (odd sizes, values split across pieces)", () => {
    const values = normalFloat32(20_000, 6);
    values[7] = Number.NaN;
    values[19_999] = Number.NEGATIVE_INFINITY;
    embedLsb(values, payload, 800);
    const bytes = bytesOf(values);
    const whole = scan("F32", bytes);
    // Misaligned: the same bytes one byte into a buffer.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    for (const pieces of [[1, 2, 3, 5, 7, 11], [4093, 1], new Array(200).fill(13), []]) {
      const split = scan("F32", shifted, pieces);
      expect(split.hidden).toEqual(whole.hidden);
      expect(split.values).toBe(20_000);
      expect(split.statistics.nan).toBe(1);
      expect(split.statistics.negativeInfinity).toBe(1);
      expect(split.statistics.mean).toBeCloseTo(whole.statistics.mean, 12);
      expect(split.statistics.summarize(12)).toEqual(whole.statistics.summarize(12));
    }
  });

  it("counts outliers against the final mean and deviation, exactly up to the kept extremes", () => {
    const values = normalFloat32(100_000, 7, 1);
    values[10] = 50;
    values[20] = -60;
    const summary = scan("F32", bytesOf(values)).statistics.summarize(12);
    expect(summary.beyond.count).toBe(2);
    expect(summary.beyond.atLeast).toBe(false);
    expect(summary.beyond.maxAbsoluteZ).toBeGreaterThan(40);
    const many = normalFloat32(100_000, 8, 1);
    for (let index = 0; index < 40; index++) many[index * 100] = 1000;
    expect(scan("F32", bytesOf(many)).statistics.summarize(5).beyond).toMatchObject({ atLeast: true, count: 32 });
  });

  it("leaves the zeros of a sparse (pruned) tensor out of its moments", () => {
    const values = new Float32Array(200_000);
    const survivors = normalFloat32(20_000, 9, 0.05);
    for (const [index, value] of survivors.entries()) values[index * 10] = value;
    const sparse = scan("F32", bytesOf(values)).statistics.summarize(12);
    expect(sparse.count).toBe(20_000);
    expect(sparse.deviation).toBeCloseTo(0.05, 2);
    expect(sparse.beyond.count).toBe(0);
    values[5] = 10;
    expect(scan("F32", bytesOf(values)).statistics.summarize(12).beyond.count).toBe(1);
  });
});
