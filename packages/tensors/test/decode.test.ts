import { dtypeInfo, TENSOR_DTYPES, type TensorDType } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { floatDecoder, isDecodable } from "../src/decode.js";
import { decodeFloat8 } from "../src/float-tables.js";
import { bytesOf, canonicalSha256, chunksOf, expected, number } from "./fixtures.js";

function decodeAll(dtype: TensorDType, chunks: readonly Uint8Array[]): Float32Array | Float64Array {
  const decoder = floatDecoder(dtype)!;
  const parts = chunks.map((chunk) => decoder.decode(chunk).slice());
  const out =
    decoder.output === "f32"
      ? new Float32Array(decoder.elementsIn(sum(chunks)))
      : new Float64Array(decoder.elementsIn(sum(chunks)));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function sum(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((total, chunk) => total + chunk.length, 0);
}

describe("FloatDecoder against the Python references", () => {
  for (const [name, entry] of Object.entries(expected.decode)) {
    it(`${name}: the same ${entry.count} values as the reference, bit for bit`, () => {
      const bytes = bytesOf(entry.file);
      const decoder = floatDecoder(entry.dtype);
      expect(decoder).not.toBeNull();
      expect(decoder!.output).toBe(entry.output);
      const values = decoder!.decode(bytes);
      expect(values.length).toBe(entry.count);
      expect(canonicalSha256(values)).toBe(entry.sha256);
      for (const [index, value] of entry.samples) expect(values[index]).toBe(number(value));
      if (entry.values) expect(Array.from(values)).toEqual(entry.values.map(number));
    });

    it(`${name}: the same values when the data comes in chunks of whole blocks`, () => {
      const bytes = bytesOf(entry.file);
      const { blockBytes } = dtypeInfo(entry.dtype);
      expect(canonicalSha256(decodeAll(entry.dtype, chunksOf(bytes, blockBytes, [1, 3, 2, 7])))).toBe(entry.sha256);
    });
  }

  it("copies a misaligned chunk rather than reading it through a misaligned view", () => {
    const entry = expected.decode.f32!;
    const bytes = bytesOf(entry.file);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(canonicalSha256(floatDecoder("f32")!.decode(shifted.subarray(1)))).toBe(entry.sha256);
  });

  it("ignores a trailing partial block and reuses its buffer between calls", () => {
    const decoder = floatDecoder("f16")!;
    const first = decoder.decode(new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x7f]));
    expect(Array.from(first)).toEqual([1, -2]);
    const second = decoder.decode(new Uint8Array([0x00, 0x38]));
    expect(second.buffer).toBe(first.buffer);
    expect(Array.from(second)).toEqual([0.5]);
  });
});

describe("what is decodable", () => {
  it("decodes every float, integer, bool and the GGML q/k types, and nothing else", () => {
    const decodable = TENSOR_DTYPES.filter((dtype) => isDecodable(dtype));
    expect(decodable).toEqual([
      "f64",
      "f32",
      "f16",
      "bf16",
      "f8_e4m3",
      "f8_e4m3fnuz",
      "f8_e5m2",
      "f8_e5m2fnuz",
      "i8",
      "u8",
      "i16",
      "u16",
      "i32",
      "u32",
      "i64",
      "u64",
      "bool",
      "q4_0",
      "q4_1",
      "q5_0",
      "q5_1",
      "q8_0",
      "q8_1",
      "q2_k",
      "q3_k",
      "q4_k",
      "q5_k",
      "q6_k",
      "q8_k",
    ]);
    for (const dtype of ["c64", "c128", "iq2_xxs", "iq4_nl", "tq1_0", "mxfp4", "opaque"] as const) {
      expect(floatDecoder(dtype)).toBeNull();
    }
  });

  it("has a fixture for every decodable dtype", () => {
    const covered = new Set(Object.values(expected.decode).map((entry) => entry.dtype));
    expect(TENSOR_DTYPES.filter((dtype) => isDecodable(dtype) && !covered.has(dtype))).toEqual([]);
  });
});

describe("float8 definitions (ONNX spec anchors)", () => {
  it("e4m3fn: max 448, S.1111.111 NaN, no infinity", () => {
    expect(decodeFloat8(0x7e, "f8_e4m3")).toBe(448);
    expect(decodeFloat8(0x7f, "f8_e4m3")).toBeNaN();
    expect(decodeFloat8(0xff, "f8_e4m3")).toBeNaN();
    expect(decodeFloat8(0x78, "f8_e4m3")).toBe(256);
    expect(decodeFloat8(0x01, "f8_e4m3")).toBe(2 ** -9);
    expect(Object.is(decodeFloat8(0x80, "f8_e4m3"), -0)).toBe(true);
  });

  it("e4m3fnuz: max 240, 0x80 the only NaN", () => {
    expect(decodeFloat8(0x7f, "f8_e4m3fnuz")).toBe(240);
    expect(decodeFloat8(0x80, "f8_e4m3fnuz")).toBeNaN();
    expect(decodeFloat8(0xff, "f8_e4m3fnuz")).toBe(-240);
  });

  it("e5m2: IEEE-like infinities and NaNs, max 57344", () => {
    expect(decodeFloat8(0x7b, "f8_e5m2")).toBe(57344);
    expect(decodeFloat8(0x7c, "f8_e5m2")).toBe(Number.POSITIVE_INFINITY);
    expect(decodeFloat8(0xfc, "f8_e5m2")).toBe(Number.NEGATIVE_INFINITY);
    expect(decodeFloat8(0x7d, "f8_e5m2")).toBeNaN();
  });

  it("e5m2fnuz: max 57344, smallest subnormal 2^-17, 0x80 NaN", () => {
    expect(decodeFloat8(0x7f, "f8_e5m2fnuz")).toBe(57344);
    expect(decodeFloat8(0x01, "f8_e5m2fnuz")).toBe(2 ** -17);
    expect(decodeFloat8(0x80, "f8_e5m2fnuz")).toBeNaN();
  });
});
