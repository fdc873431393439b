import type { TensorDType } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { LowBitPlanes, lowBitPlanesFor, printableBits } from "../src/low-bit-planes.js";
import { lowWordBytes } from "../src/low-bits.js";
import { BLOCK_ELEMENTS, PlanePacker } from "../src/plane-packer.js";

/** Each plane's bytes by definition: k low bits of 8/k consecutive elements, in either order. */
function definition(bytes: Uint8Array, wordBytes: number, dtype: TensorDType): number[][] {
  const elements = Math.floor(bytes.length / wordBytes);
  return lowBitPlanesFor(dtype).map(({ bits, order }) => {
    const perByte = 8 / bits;
    const out: number[] = [];
    for (let byte = 0; (byte + 1) * perByte <= elements; byte++) {
      let value = 0;
      for (let slot = 0; slot < perByte; slot++) {
        const element = byte * perByte + (order === "msb-first" ? slot : perByte - 1 - slot);
        value = (value << bits) | (bytes[element * wordBytes]! & ((1 << bits) - 1));
      }
      out.push(value);
    }
    return out;
  });
}

/** `bytes` in chunks of the given sizes (whole words), each copied to `misalign` bytes past a fresh buffer's start. */
function chunked(bytes: Uint8Array, wordBytes: number, sizes: readonly number[], misalign: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, index = 0; at < bytes.length; index++) {
    const end = Math.min(bytes.length, at + sizes[index % sizes.length]! * wordBytes);
    // Misalignments past 3 in shared memory, as a large file's chunks are read.
    const backing = misalign > 3 ? new SharedArrayBuffer(end - at + misalign) : new ArrayBuffer(end - at + misalign);
    const copy = new Uint8Array(backing).subarray(misalign);
    copy.set(bytes.subarray(at, end));
    chunks.push(copy);
    at = end;
  }
  return chunks;
}

function streams(dtype: TensorDType, chunks: readonly Uint8Array[], window: number) {
  const asked = lowBitPlanesFor(dtype);
  const seen: number[][] = asked.map(() => []);
  const planes = new LowBitPlanes(dtype, {
    planes: asked,
    window,
    onPlane: (plane, bytes) => {
      for (const byte of bytes) seen[plane]!.push(byte);
    },
  });
  let offset = 0;
  for (const chunk of chunks) {
    planes.data(chunk, offset);
    offset += chunk.length;
  }
  planes.end(true);
  return { seen, kept: asked.map((_, plane) => [...planes.kept(plane)]) };
}

describe(`PlanePacker (${PlanePacker.get().simd ? "SIMD kernel" : "JavaScript loops"})`, () => {
  const dtypes: TensorDType[] = ["i8", "u8", "f16", "bf16", "f32", "i32", "f64", "i64", "c64"];
  for (const dtype of dtypes) {
    it(`packs every plane of ${dtype} as defined, however chunked and aligned`, () => {
      const random = seededRandom(dtype.length * 31 + dtype.charCodeAt(1));
      const wordBytes = lowWordBytes(dtype)!;
      for (const elements of [0, 1, 7, 8, 9, 63, 64, 65, 1001, 4099]) {
        const bytes = new Uint8Array(elements * wordBytes).map(() => Math.floor(random() * 256));
        const expected = definition(bytes, wordBytes, dtype);
        for (const sizes of [[elements || 1], [1], [3, 17, 1, 64], [7], [13, 200]]) {
          for (const misalign of [0, 1, 2, 3, 5, 6]) {
            const { seen, kept } = streams(dtype, chunked(bytes, wordBytes, sizes, misalign), 37);
            expect(seen, `${elements} elements in ${sizes}, ${misalign}`).toEqual(expected);
            expect(kept).toEqual(expected.map((plane) => plane.slice(0, 37)));
          }
        }
      }
    });
  }

  it("packs chunks larger than a block, and a block after a carried remainder", () => {
    const random = seededRandom(7);
    for (const [dtype, elements] of [
      ["f32", BLOCK_ELEMENTS * 2 + 13],
      ["f16", BLOCK_ELEMENTS + 5],
      ["i8", BLOCK_ELEMENTS * 3 + 1],
      ["f64", BLOCK_ELEMENTS + 64],
    ] as const) {
      const wordBytes = lowWordBytes(dtype)!;
      const bytes = new Uint8Array(elements * wordBytes).map(() => Math.floor(random() * 256));
      const expected = definition(bytes, wordBytes, dtype);
      for (const sizes of [[elements], [5, BLOCK_ELEMENTS + 3], [BLOCK_ELEMENTS - 1, 9]]) {
        const { seen } = streams(dtype, chunked(bytes, wordBytes, sizes, 0), 1024);
        expect(seen.map((plane) => plane.length)).toEqual(expected.map((plane) => plane.length));
        expect(seen, `${dtype} in ${sizes}`).toEqual(expected);
      }
    }
  });

  it("maps the printable bytes of every plane's bytes offered, with the kernel, and nothing else", () => {
    const random = seededRandom(19);
    // Low bytes mostly printable, so that the maps hold both bits.
    const values = new Uint32Array(70001).map(() =>
      random() < 0.7 ? 0x20 + Math.floor(random() * 95) : Math.floor(random() * 256),
    );
    const maps: boolean[] = [];
    const planes = new LowBitPlanes("f32", {
      planes: lowBitPlanesFor("f32"),
      onPlane: (_plane, bytes) => {
        const map = printableBits(bytes);
        maps.push(map !== null);
        if (map === null) return;
        for (let index = 0; index < bytes.length; index++) {
          const printable = bytes[index]! >= 0x20 && bytes[index]! <= 0x7e;
          if (((map[index >>> 5]! >>> (index & 31)) & 1) !== +printable)
            expect.fail(`byte ${index} of ${bytes.length}`);
        }
      },
    });
    for (const [at, end] of [
      [0, 1001],
      [1001, 70001],
    ] as const) {
      planes.data(new Uint8Array(values.buffer, at * 4, (end - at) * 4));
    }
    planes.end(true);
    expect(maps.every((mapped) => mapped === PlanePacker.get().simd)).toBe(true);
    expect(printableBits(new Uint8Array(64))).toBeNull();
  });
});
