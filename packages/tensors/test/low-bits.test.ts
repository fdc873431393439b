import { describe, expect, it } from "vitest";
import { LowBitPlanes } from "../src/low-bit-planes.js";
import { lowWordBytes } from "../src/low-bits.js";

describe("lowWordBytes", () => {
  it("reads the low byte of each word: float64 words are 8 bytes, complex components are words", () => {
    expect(lowWordBytes("f64")).toBe(8);
    expect(lowWordBytes("c64")).toBe(4);
    expect(lowWordBytes("i8")).toBe(1);
    expect(lowWordBytes("q4_k")).toBeNull();
    expect(lowWordBytes("opaque")).toBeNull();
    expect(() => new LowBitPlanes("q8_0", { planes: [] })).toThrow(RangeError);
    const planes = new LowBitPlanes("f64", { planes: [{ bits: 8, order: "msb-first" }] });
    planes.data(new Uint8Array(new Float64Array([1 + 2 ** -52 * 0x41, 1 + 2 ** -52 * 0x42]).buffer), 0);
    planes.end(true);
    expect(Array.from(planes.kept(0))).toEqual([0x41, 0x42]);
  });
});
