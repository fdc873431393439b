import { describe, expect, test } from "vitest";
import { bundleDType, decodeEntry, decodeHeader } from "../src/bundle-entries.js";

describe("BundleEntryProto and BundleHeaderProto from the wire", () => {
  test("every field of an entry", () => {
    // dtype 1, shape [4, 2], shard 2, offset 300, size 32, crc32c (fixed32).
    const bytes = [0x08, 0x01, 0x12, 0x08, 0x12, 0x02, 0x08, 0x04, 0x12, 0x02, 0x08, 0x02];
    bytes.push(0x18, 0x02, 0x20, 0xac, 0x02, 0x28, 0x20, 0x35, 1, 2, 3, 4);
    expect(decodeEntry(new Uint8Array(bytes))).toEqual({
      dtype: 1,
      shape: [4, 2],
      shardId: 2,
      offset: 300,
      size: 32,
      sliced: false,
    });
  });

  test("a shape given twice is merged as protobuf merges it: the dims add up", () => {
    const bytes = new Uint8Array([0x12, 0x04, 0x12, 0x02, 0x08, 0x03, 0x12, 0x04, 0x12, 0x02, 0x08, 0x05]);
    expect(decodeEntry(bytes).shape).toEqual([3, 5]);
  });

  test("a negative dim, an unknown rank, a slice list", () => {
    const negative = [0x12, 0x0d, 0x12, 0x0b, 0x08, ...new Array(9).fill(0xff), 0x01];
    expect(() => decodeEntry(new Uint8Array(negative))).toThrow(/is not a size/);
    expect(() => decodeEntry(new Uint8Array([0x12, 0x02, 0x18, 0x01]))).toThrow(/unknown rank/);
    expect(decodeEntry(new Uint8Array([0x3a, 0x00])).sliced).toBe(true);
  });

  test("the header: shard count and byte order", () => {
    expect(decodeHeader(new Uint8Array([0x08, 0x03, 0x10, 0x01, 0x1a, 0x02, 0x08, 0x01]))).toEqual({
      numShards: 3,
      byteOrder: "big",
    });
    expect(() => decodeHeader(new Uint8Array([0x08, 0x01, 0x10, 0x02]))).toThrow(/endianness is 2/);
  });

  test("DataType in core's vocabulary", () => {
    expect([1, 2, 9, 14, 19, 11, 25].map(bundleDType)).toEqual(["f32", "f64", "i64", "bf16", "f16", "i8", "f8_e4m3"]);
    expect(bundleDType(7)).toBeNull(); // DT_STRING: serialized objects
    expect(bundleDType(29)).toBe("opaque"); // DT_INT4
    expect(bundleDType(0)).toBeUndefined();
    expect(bundleDType(101)).toBeUndefined();
  });
});
