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

  it("offers every byte to onPlane and reads only the first byte of wider words", () => {
    const values = new Uint32Array(64).map((_, index) => 0xabcdef00 | index);
    const seen: number[] = [];
    const planes = new LowBitPlanes("f32", {
      planes: [{ bits: 8, order: "msb-first" }],
      window: 16,
      onPlane: (_plane, bytes) => {
        for (let index = 0; index < bytes.length; index++) seen.push(bytes[index]!);
      },
    });
    run(planes, new Uint8Array(values.buffer), 4, [5]);
    expect(seen).toEqual(Array.from({ length: 64 }, (_, index) => index));
    expect(Array.from(planes.kept(0))).toEqual(seen.slice(0, 16));
  });

  it("offers each plane's whole byte stream however the data is chunked, the last bytes at the end", () => {
    // 1001 elements: 125 one-bit bytes, 250 two-bit bytes (the last from the final 4 elements), 500 four-bit bytes.
    const words = new Uint16Array(1001).map((_, index) => (index * 2654435761) >>> 16);
    const asked = lowBitPlanesFor("f16");
    const streams = (sizes: number[]) => {
      const seen: number[][] = asked.map(() => []);
      const planes = new LowBitPlanes("f16", {
        planes: asked,
        onPlane: (plane, bytes) => {
          for (let index = 0; index < bytes.length; index++) seen[plane]!.push(bytes[index]!);
        },
      });
      run(planes, new Uint8Array(words.buffer), 2, sizes);
      return seen;
    };
    const whole = streams([1001]);
    expect(whole.map((stream) => stream.length)).toEqual([125, 125, 250, 250, 500, 500, 1001]);
    expect(streams([3, 17, 1, 64])).toEqual(whole);
    expect(streams([7])).toEqual(whole);
    // Every plane against its definition: k low bits of 8/k consecutive elements, in either order.
    for (const [index, plane] of asked.entries()) {
      const { bits, order } = plane;
      const perByte = 8 / bits;
      const expected = whole[index]!.map((_, byte) => {
        let value = 0;
        for (let slot = 0; slot < perByte; slot++) {
          const element = byte * perByte + (order === "msb-first" ? slot : perByte - 1 - slot);
          value = (value << bits) | (words[element]! & ((1 << bits) - 1));
        }
        return value;
      });
      expect(whole[index], `${bits} ${order}`).toEqual(expected);
    }
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
