import { float16Table } from "@modelaudit/tensors";
import { describe, expect, it } from "vitest";
import { BlockScales } from "../src/block-scales.js";

const halves = new Float32Array(float16Table().buffer);

/** What the detector must conclude of one decoded scale (the rule, spelled out). */
function expected(value: number, signed: boolean, maxScale: number): "ok" | "nonFinite" | "extreme" | "negative" {
  if (!Number.isFinite(value)) return "nonFinite";
  if (Math.abs(value) > maxScale) return "extreme";
  if (value < 0 && !signed) return "negative";
  return "ok";
}

describe("block scales read by their bits", () => {
  // Every binary16 pattern as the scale of a block: q8_0 (d only, never negative in ggml) and q4_k (d
  // and dmin, either sign), with limits between representable values, on them, and past the largest.
  for (const maxScale of [1000, 65504, 1e6, 0.5, 2 ** -20]) {
    it(`counts exactly the scales a decode judges out of range (maxScale ${maxScale})`, () => {
      for (const [dtype, blockBytes, offsets, signed] of [
        ["q8_0", 34, [0], false],
        ["q4_k", 144, [0, 2], true],
      ] as const) {
        const chunk = new Uint8Array(65536 * blockBytes);
        for (let bits = 0; bits < 65536; bits++) {
          for (const offset of offsets) {
            chunk[bits * blockBytes + offset] = bits & 0xff;
            chunk[bits * blockBytes + offset + 1] = bits >>> 8;
          }
        }
        const scales = new BlockScales(dtype, maxScale);
        // In two pieces, so a block count carried across chunks is checked too.
        const half = 30000 * blockBytes;
        scales.data(chunk.subarray(0, half));
        scales.data(chunk.subarray(half));
        const counts = { ok: 0, nonFinite: 0, extreme: 0, negative: 0 };
        let first: { block: number; field: string; value: number } | null = null;
        for (let bits = 0; bits < 65536; bits++) {
          for (const [index] of offsets.entries()) {
            const verdict = expected(halves[bits]!, signed, maxScale);
            counts[verdict]++;
            if (verdict !== "ok") first ??= { block: bits, field: index === 0 ? "d" : "dmin", value: halves[bits]! };
          }
        }
        expect(scales.blocks).toBe(65536);
        expect({ nonFinite: scales.nonFinite, extreme: scales.extreme, negative: scales.negative }).toEqual({
          nonFinite: counts.nonFinite,
          extreme: counts.extreme,
          negative: counts.negative,
        });
        expect(scales.first).toEqual(first);
      }
    });
  }
});

describe("block scales with the shared statistics' range", () => {
  /** q8_0 blocks whose scales are the given binary16 patterns (quants zero). */
  function q8(scales: number[]): Uint8Array {
    const chunk = new Uint8Array(scales.length * 34);
    for (const [block, bits] of scales.entries()) {
      chunk[block * 34] = bits & 0xff;
      chunk[block * 34 + 1] = bits >>> 8;
    }
    return chunk;
  }

  it("counts a chunk whose range is within bounds without a look at its blocks, and reads any other", () => {
    // 0x3c00 = 1, 0x4000 = 2, 0xbc00 = -1, 0x7c00 = +Inf.
    const inRange = q8([0x3c00, 0x4000, 0x8000]);
    const scales = new BlockScales("q8_0", 1000);
    expect(scales.countWithin(inRange, { least: -0, greatest: 2 })).toBe(true);
    expect([scales.blocks, scales.nonFinite, scales.negative, scales.extreme]).toEqual([3, 0, 0, 0]);
    // A negative least (unsigned layout), a greatest past maxScale or no range: the blocks are read one by one.
    const negative = q8([0x3c00, 0xbc00]);
    expect(scales.countWithin(negative, { least: -1, greatest: 1 })).toBe(false);
    expect(scales.countWithin(negative, null)).toBe(false);
    scales.data(negative);
    const extreme = q8([0x7c00]);
    expect(scales.countWithin(extreme, { least: 1, greatest: 2000 })).toBe(false);
    scales.data(extreme);
    // Two scales a block (q4_K's d and dmin): never counted by one range.
    expect(new BlockScales("q4_k", 1000).countWithin(new Uint8Array(144), { least: 0, greatest: 1 })).toBe(false);
    expect([scales.blocks, scales.nonFinite, scales.negative, scales.extreme]).toEqual([6, 1, 1, 0]);
    expect(scales.first).toEqual({ block: 4, field: "d", value: -1 });
  });
});
