import { describe, expect, it } from "vitest";
import { protobufFields, seededRandom, shuffled } from "../src/testing/index.js";

describe("test helpers for protobuf messages", () => {
  it("splits a message into its fields by wire type, clipping a cut-short last field", () => {
    // field 1 varint 150, field 2 length-delimited "ab", field 3 fixed32
    const message = Uint8Array.of(0x08, 0x96, 0x01, 0x12, 0x02, 0x61, 0x62, 0x1d, 1, 2, 3, 4);
    const fields = protobufFields(message);
    expect(fields.map((field) => [field.number, field.start, field.bytes.length])).toEqual([
      [1, 0, 3],
      [2, 3, 4],
      [3, 7, 5],
    ]);
    expect([...(fields[1]?.payload ?? [])]).toEqual([0x61, 0x62]);
    expect(protobufFields(message.subarray(0, 6)).map((field) => field.bytes.length)).toEqual([3, 3]);
  });

  it("shuffles a copy, keeping every item", () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const order = shuffled(items, seededRandom(7));
    expect([...order].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
