import { describe, expect, it } from "vitest";
import { type LowBitStreamKind, LowBitStreams, lowWordBytes } from "../src/low-bits.js";
import { bytesOf, chunksOf, expected } from "./fixtures.js";

/** Hides `payload` in the mantissa LSBs of float32 values, first bit of each byte in the first value (MSB first). */
function hideInLsbs(payload: Uint8Array, count: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = 0.01 * Math.sin(index + 1);
  const words = new Uint32Array(values.buffer);
  for (let bit = 0; bit < payload.length * 8; bit++) {
    const value = (payload[bit >>> 3]! >>> (7 - (bit & 7))) & 1;
    words[bit] = (words[bit]! & ~1) | value;
  }
  return values;
}

function collect(streams: LowBitStreams, chunks: readonly Uint8Array[]): void {
  let offset = 0;
  for (const chunk of chunks) {
    streams.data(chunk, offset);
    offset += chunk.length;
  }
  streams.end(true);
}

describe("LowBitStreams", () => {
  it("reads a payload hidden one bit per value, in both bit orders, and the low bytes", () => {
    const payload = new TextEncoder().encode("\x7fELF hidden in the weights");
    const values = hideInLsbs(payload, 4096);
    const streams = new LowBitStreams("f32", { window: 64 });
    collect(streams, chunksOf(new Uint8Array(values.buffer), 4, [7, 100, 1]));
    expect(streams.kept("lsb-msb-first").subarray(0, payload.length)).toEqual(payload);
    // The same bits packed the other way round: each byte bit-reversed.
    const reversed = payload.map((byte) =>
      Number.parseInt(byte.toString(2).padStart(8, "0").split("").reverse().join(""), 2),
    );
    expect(streams.kept("lsb-lsb-first").subarray(0, payload.length)).toEqual(reversed);
    const words = new Uint32Array(values.buffer);
    expect(Array.from(streams.kept("low-byte"))).toEqual(Array.from(words.subarray(0, 64), (word) => word & 0xff));
    expect(streams.kept("lsb-msb-first").length).toBe(64);
    expect(streams.produced("lsb-msb-first")).toBe(512);
    expect(streams.produced("low-byte")).toBe(4096);
  });

  it("passes every byte to onBytes, the same however the data is chunked", () => {
    const entry = expected.decode.f16!;
    const bytes = bytesOf(entry.file);
    const gather = (sizes: number[]) => {
      const seen: Record<LowBitStreamKind, number[]> = { "lsb-msb-first": [], "lsb-lsb-first": [], "low-byte": [] };
      collect(
        new LowBitStreams("f16", { window: 16, onBytes: (kind, chunk) => seen[kind].push(...chunk) }),
        chunksOf(bytes, 2, sizes),
      );
      return seen;
    };
    const whole = gather([1 << 20]);
    expect(whole["low-byte"]).toEqual(Array.from(bytes.filter((_, index) => index % 2 === 0)));
    expect(whole["lsb-msb-first"].length).toBe(Math.floor(entry.count / 8));
    expect(gather([1, 3, 13])).toEqual(whole);
  });

  it("reads the low byte of each word: float64 words are 8 bytes, complex components are words", () => {
    expect(lowWordBytes("f64")).toBe(8);
    expect(lowWordBytes("c64")).toBe(4);
    expect(lowWordBytes("i8")).toBe(1);
    expect(lowWordBytes("q4_k")).toBeNull();
    expect(lowWordBytes("opaque")).toBeNull();
    expect(() => new LowBitStreams("q8_0")).toThrow(RangeError);
    const streams = new LowBitStreams("f64", { streams: ["low-byte"] });
    collect(streams, [new Uint8Array(new Float64Array([1 + 2 ** -52 * 0x41, 1 + 2 ** -52 * 0x42]).buffer)]);
    expect(Array.from(streams.kept("low-byte"))).toEqual([0x41, 0x42]);
    expect(streams.kept("lsb-msb-first").length).toBe(0);
  });
});
