import { describe, expect, it } from "vitest";
import { type LowBitPlane, LowBitPlanes, lowBitPlanesFor } from "../src/low-bit-planes.js";
import { chunksOf } from "./fixtures.js";

/** Writes `payload` into the low `bits` bits of consecutive 16-bit words, numpy style: bits taken most significant first, or `little`. */
function hide(payload: Uint8Array, bits: number, count: number, little: boolean): Uint16Array {
  const words = new Uint16Array(count);
  for (let index = 0; index < count; index++) words[index] = 0x3c00 + ((index * 2654435761) >>> 22);
  const stream: number[] = [];
  for (const byte of payload) for (let bit = 0; bit < 8; bit++) stream.push((byte >> (little ? bit : 7 - bit)) & 1);
  for (let element = 0; element * bits < stream.length; element++) {
    let value = 0;
    for (let bit = 0; bit < bits; bit++) {
      const next = stream[element * bits + bit]!;
      value |= little ? next << bit : next << (bits - 1 - bit);
    }
    words[element] = (words[element]! & ~((1 << bits) - 1)) | value;
  }
  return words;
}

function run(planes: LowBitPlanes, bytes: Uint8Array, wordBytes: number, sizes: number[]): void {
  let offset = 0;
  for (const chunk of chunksOf(bytes, wordBytes, sizes)) {
    planes.data(chunk, offset);
    offset += chunk.length;
  }
  planes.end(true);
}

describe("LowBitPlanes", () => {
  const payload = new TextEncoder().encode("\x7fELF\x02\x01\x01 payload across planes");

  for (const bits of [1, 2, 4, 8] as const) {
    for (const order of ["msb-first", "lsb-first"] as const) {
      if (bits === 8 && order === "lsb-first") continue;
      it(`reassembles ${bits} bit(s) per element, ${order}, across chunk boundaries`, () => {
        const words = hide(payload, bits, 4096, order === "lsb-first");
        const asked: LowBitPlane[] = lowBitPlanesFor("f16");
        const planes = new LowBitPlanes("f16", { planes: asked, window: 128 });
        run(planes, new Uint8Array(words.buffer), 2, [3, 17, 1, 64]);
        const index = asked.findIndex((plane) => plane.bits === bits && plane.order === order);
        expect(planes.kept(index).subarray(0, payload.length)).toEqual(payload);
        expect(planes.kept(index).length).toBe(128);
        expect(planes.produced(index)).toBe((4096 * bits) / 8);
      });
    }
  }

  it("hands every byte to onBytes and reads only the first byte of wider words", () => {
    const values = new Uint32Array(64).map((_, index) => 0xabcdef00 | index);
    const seen: number[] = [];
    const planes = new LowBitPlanes("f32", {
      planes: [{ bits: 8, order: "msb-first" }],
      window: 16,
      onBytes: (_plane, bytes) => seen.push(...bytes),
    });
    run(planes, new Uint8Array(values.buffer), 4, [5]);
    expect(seen).toEqual(Array.from({ length: 64 }, (_, index) => index));
    expect(Array.from(planes.kept(0))).toEqual(seen.slice(0, 16));
  });

  it("offers depths up to half the word and nothing for block-quantized data", () => {
    expect(lowBitPlanesFor("i8").map((plane) => plane.bits)).toEqual([1, 1, 2, 2, 4, 4]);
    expect(lowBitPlanesFor("f32").map((plane) => `${plane.bits}${plane.order}`)).toEqual([
      "1msb-first",
      "1lsb-first",
      "2msb-first",
      "2lsb-first",
      "4msb-first",
      "4lsb-first",
      "8msb-first",
    ]);
    expect(lowBitPlanesFor("q4_0")).toEqual([]);
    expect(() => new LowBitPlanes("q4_0", { planes: [] })).toThrow(RangeError);
  });
});
