import { describe, expect, test } from "vitest";
import { crc32c, unmaskCrc } from "../src/crc32c.js";
import { type TableLimits, tableEntries } from "../src/sstable.js";

const text = new TextEncoder();
const LIMITS: TableLimits = { maxEntries: 1000, maxKeyLength: 1024 };

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

function mask(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

interface Row {
  key: string;
  value?: string;
  /** Bytes shared with the previous key (default: none, every entry a restart point). */
  shared?: number;
}

/** One block: entries as written (shared prefix as given), restart points at the entries that share nothing. */
function block(rows: readonly Row[], restarts?: number[]): number[] {
  const out: number[] = [];
  const points: number[] = [];
  for (const { key, value = "v", shared = 0 } of rows) {
    if (shared === 0) points.push(out.length);
    const suffix = [...text.encode(key)].slice(shared);
    const bytes = [...text.encode(value)];
    out.push(...varint(shared), ...varint(suffix.length), ...varint(bytes.length), ...suffix, ...bytes);
  }
  const list = restarts ?? (points.length > 0 ? points : [0]);
  return [...out, ...list.flatMap(u32), ...u32(list.length)];
}

/** A table of data blocks (each with its index key), an empty metaindex, the index and the footer. */
function table(
  blocks: { rows: number[]; indexKey: string; type?: number }[],
  handles?: (index: number) => number,
): Uint8Array {
  const out: number[] = [];
  const written: number[][] = [];
  const write = (contents: number[], type = 0) => {
    const handle = [...varint(out.length), ...varint(contents.length)];
    const withType = [...contents, type];
    out.push(...withType, ...u32(mask(crc32c(new Uint8Array(withType)))));
    return handle;
  };
  for (const item of blocks) written.push(write(item.rows, item.type));
  const metaindex = write(block([]));
  const indexRows = blocks.map((item, index) => ({
    key: item.indexKey,
    value: "",
    handle: written[handles?.(index) ?? index],
  }));
  const index: number[] = [];
  const points: number[] = [];
  for (const row of indexRows) {
    points.push(index.length);
    const key = [...text.encode(row.key)];
    const value = row.handle as number[];
    index.push(0, ...varint(key.length), ...varint(value.length), ...key, ...value);
  }
  const indexHandle = write([
    ...index,
    ...(points.length ? points : [0]).flatMap(u32),
    ...u32(Math.max(points.length, 1)),
  ]);
  const footer = [...metaindex, ...indexHandle];
  out.push(...footer, ...new Array(40 - footer.length).fill(0), 0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb);
  return new Uint8Array(out);
}

function read(bytes: Uint8Array, limits = LIMITS): string[] {
  return [...tableEntries(bytes, limits, () => undefined)].map((entry) => new TextDecoder().decode(entry.key));
}

describe("SSTable reader", () => {
  test("crc32c and its mask agree with LevelDB's test vectors", () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(unmaskCrc(mask(0x12345678))).toBe(0x12345678);
  });

  test("entries of every block in key order, prefix-compressed keys rebuilt", () => {
    const bytes = table([
      { rows: block([{ key: "" }, { key: "dense/bias" }, { key: "dense/kernel", shared: 6 }]), indexKey: "e" },
      { rows: block([{ key: "f" }, { key: "fz", shared: 1 }]), indexKey: "g" },
    ]);
    expect(read(bytes)).toEqual(["", "dense/bias", "dense/kernel", "f", "fz"]);
  });

  test("an index naming the same block twice is refused, not walked again", () => {
    const rows = block([{ key: "a" }]);
    const bytes = table(
      [
        { rows, indexKey: "b" },
        { rows, indexKey: "c" },
      ],
      () => 0,
    );
    expect(() => read(bytes)).toThrow(/overlaps the block before it/);
  });

  test("keys out of order, or after their block's index key", () => {
    expect(() => read(table([{ rows: block([{ key: "b" }, { key: "a" }]), indexKey: "c" }]))).toThrow(
      /out of key order/,
    );
    expect(() => read(table([{ rows: block([{ key: "b" }, { key: "b" }]), indexKey: "c" }]))).toThrow(
      /out of key order/,
    );
    expect(() => read(table([{ rows: block([{ key: "x" }]), indexKey: "c" }]))).toThrow(/sorts after its index key/);
  });

  test("a shared prefix longer than the previous key", () => {
    const rows = block([{ key: "ab" }, { key: "abcdef", shared: 2 }]);
    rows[6] = 9; // the second entry's shared count, after the first entry's 3 varints, key and value
    expect(() => read(table([{ rows, indexKey: "z" }]))).toThrow(/shares 9 bytes with a 2-byte key/);
  });

  test("an entry whose value runs past its block", () => {
    const rows = block([{ key: "a", value: "vvvv" }]);
    rows[2] = 100;
    expect(() => read(table([{ rows, indexKey: "b" }]))).toThrow(/declares 1 key and 100 value bytes/);
  });

  test("restart points must be entry boundaries that share nothing", () => {
    const rows = block([{ key: "a" }, { key: "ab", shared: 1 }], [0, 2]);
    expect(() => read(table([{ rows, indexKey: "b" }]))).toThrow(/not entry boundaries|restart point but shares/);
    const shared = block([{ key: "a" }, { key: "ab", shared: 1 }], [0, 5]);
    expect(() => read(table([{ rows: shared, indexKey: "b" }]))).toThrow(/is a restart point but shares a key prefix/);
  });

  test("bounds: entries and key length", () => {
    const rows = block([{ key: "a" }, { key: "b" }, { key: "c" }]);
    expect(() => read(table([{ rows, indexKey: "d" }]), { maxEntries: 2, maxKeyLength: 1024 })).toThrow(
      /more than 2 entries/,
    );
    const long = block([{ key: "k".repeat(40) }]);
    expect(() => read(table([{ rows: long, indexKey: "l" }]), { maxEntries: 10, maxKeyLength: 32 })).toThrow(
      /key over 32 bytes/,
    );
  });

  test("a block of unknown type, and one that fails its checksum", () => {
    expect(() => read(table([{ rows: block([{ key: "a" }]), indexKey: "b", type: 4 }]))).toThrow(
      /unknown block type 4/,
    );
    const bytes = table([{ rows: block([{ key: "a" }]), indexKey: "b" }]);
    bytes[4] = (bytes[4] as number) ^ 0x20;
    expect(() => read(bytes)).toThrow(/fails its crc32c/);
  });

  test("a block handle past the footer", () => {
    const bytes = table([{ rows: block([{ key: "a" }]), indexKey: "b" }]);
    // The footer's index handle: offset stays, size grows past the file.
    const footer = bytes.length - 48;
    const metaindexLength = 2;
    bytes[footer + metaindexLength + 1] = 0x7f;
    expect(() => read(bytes)).toThrow(/runs past the \d+ bytes before the footer/);
  });
});
