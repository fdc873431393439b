import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assemble, generatedSource } from "../scripts/assemble-kernels.mjs";
import { MAGIC_PAIRS_WASM } from "../src/engine/kernels/magic-pairs.wasm.js";
import { PAIR_FILTER_BLOCK, PairFilter } from "../src/engine/pair-filter.js";
import { AlignedArea, KernelMemory, kernelWithArea } from "../src/engine/wasm-kernel.js";
import { seededRandom } from "../src/testing/random.js";

const kernels = path.join(import.meta.dirname, "../src/engine/kernels");

describe("the SIMD kernels", () => {
  it("are assembled from the committed sources (scripts/assemble-kernels.mjs)", async () => {
    const sources = readdirSync(kernels).filter((name) => name.endsWith(".wat"));
    expect(sources.length).toBeGreaterThanOrEqual(1);
    for (const name of sources) {
      const source = generatedSource(name, await assemble(path.join(kernels, name)));
      expect(readFileSync(path.join(kernels, name.replace(/\.wat$/, ".wasm.ts")), "utf8")).toBe(source);
    }
  });
});

describe("the magic pairs' SIMD filter", () => {
  it("finds the groups of 16 offsets holding a set pair, every one and only those, for any set of pairs", () => {
    const filter = PairFilter.get();
    expect(filter).not.toBeNull();
    const random = seededRandom(3);
    for (let round = 0; round < 20; round++) {
      const pairs = new Uint8Array(65536);
      // A few pairs, some sharing a first byte, some a 1-byte magic's (every second byte).
      const firsts = Array.from({ length: 1 + Math.floor(random() * 20) }, () => Math.floor(random() * 256));
      for (const first of firsts) {
        if (random() < 0.1) for (let second = 0; second < 256; second++) pairs[first | (second << 8)] = 1;
        else for (let n = 0; n < 1 + random() * 4; n++) pairs[first | (Math.floor(random() * 256) << 8)] = 1;
      }
      const length = 1 + Math.floor(random() * PAIR_FILTER_BLOCK);
      const bytes = new Uint8Array(length + 1).map(() => Math.floor(random() * 256));
      // Set pairs planted at random offsets.
      const set = [...pairs.keys()].filter((key) => pairs[key] === 1);
      for (let n = 0; n < 50; n++) {
        const key = set[Math.floor(random() * set.length)]!;
        const at = Math.floor(random() * length);
        bytes[at] = key & 0xff;
        bytes[at + 1] = key >>> 8;
      }
      filter!.load(pairs);
      // The bytes sometimes in shared memory (as a large file's chunk is), at any alignment: the
      // filter copies them to an address of their own alignment and reports offsets of the bytes.
      if (random() < 0.5) {
        const offset = Math.floor(random() * 8);
        const shared = new Uint8Array(new SharedArrayBuffer(offset + bytes.length), offset);
        shared.set(bytes);
        filter!.copy(shared);
      } else {
        filter!.copy(bytes);
      }
      const flagged = new Set<number>();
      for (let group = filter!.find(0, length); group < length; group = filter!.find(group + 16, length)) {
        expect(group % 16).toBe(0);
        flagged.add(group);
      }
      const isSet = (offset: number) => pairs[bytes[offset]! | (bytes[offset + 1]! << 8)] === 1;
      for (let offset = 0; offset < length; offset++) {
        if (isSet(offset)) expect(flagged.has(offset - (offset % 16)), `round ${round}, offset ${offset}`).toBe(true);
      }
      // And only those (a last partial group may read stale bytes past the copied ones).
      for (const group of flagged) {
        if (group + 16 > length) continue;
        expect(Array.from({ length: 16 }, (_, lane) => isSet(group + lane)).includes(true), `group ${group}`).toBe(
          true,
        );
      }
    }
  });
});

describe("AlignedArea", () => {
  it("copies bytes to the area's address plus their offset mod 8, and says where", () => {
    const memory = new ArrayBuffer(256);
    const area = new AlignedArea(memory, 64, 100);
    const source = new Uint8Array(new SharedArrayBuffer(160));
    source.forEach((_, index) => {
      source[index] = index;
    });
    for (const offset of [0, 3, 8, 13, 20]) {
      const bytes = source.subarray(offset, offset + 100);
      const address = area.copy(bytes);
      expect(address).toBe(64 + (offset % 8));
      expect(Array.from(new Uint8Array(memory, address, 100))).toEqual(Array.from(bytes));
    }
  });
});

describe("KernelMemory", () => {
  it("reserves areas at multiples of 64, growing the memory, and knows its bytes by any buffer object", () => {
    const memory = KernelMemory.get()!;
    const before = memory.buffer;
    const first = memory.reserve(10);
    const second = memory.reserve(3 * 65536);
    expect(first % 64).toBe(0);
    expect(second).toBeGreaterThanOrEqual(first + 64);
    expect(second % 64).toBe(0);
    // Grown: a new buffer object, and views on the old one still count as the memory's.
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(second + 3 * 65536);
    expect(memory.holds(new Uint8Array(before, first, 10))).toBe(true);
    expect(memory.holds(new Uint8Array(memory.buffer, second, 10))).toBe(true);
    expect(memory.holds(new Uint8Array(new SharedArrayBuffer(64)))).toBe(false);
    expect(memory.holds(new Uint8Array(64))).toBe(false);
  });

  it("lends chunk areas, reuses one given back, ignores a second give-back, and says when all are out", () => {
    const memory = KernelMemory.get()!;
    const area = memory.chunk(1000)!;
    expect(memory.holds(area)).toBe(true);
    memory.giveBack(area.subarray(0, 10));
    memory.giveBack(area);
    const again = memory.chunk(500)!;
    expect(again.byteOffset).toBe(area.byteOffset);
    // Given back twice, it was kept once: the next area is another.
    expect(memory.chunk(500)!.byteOffset).not.toBe(area.byteOffset);
    const taken: Uint8Array[] = [];
    for (let area = memory.chunk(64); area !== null; area = memory.chunk(64)) taken.push(area);
    expect(taken.length).toBeLessThan(20);
    // Bytes that are not an area it lent are not taken back.
    memory.giveBack(new Uint8Array(64));
    expect(memory.chunk(64)).toBeNull();
    memory.giveBack(taken[0]!);
    expect(memory.chunk(64)!.byteOffset).toBe(taken[0]!.byteOffset);
  });

  it("gives a kernel's area in it the address of bytes already there instead of copying them", () => {
    const memory = KernelMemory.get()!;
    const area = new AlignedArea(memory.buffer, memory.reserve(256 + 8), 256);
    const chunk = new Uint8Array(memory.buffer, memory.reserve(300), 300);
    chunk.forEach((_, index) => {
      chunk[index] = index;
    });
    expect(area.copy(chunk.subarray(13, 113))).toBe(chunk.byteOffset + 13);
    // Bytes elsewhere are copied in, as into any area.
    const outside = Uint8Array.from({ length: 100 }, (_, index) => 255 - index);
    const address = area.copy(outside);
    expect(Array.from(new Uint8Array(memory.buffer, address, 100))).toEqual(Array.from(outside));
  });

  it("loads a kernel with an area of its own reserved, which the next reservation does not overlap", () => {
    const loaded = kernelWithArea<{ setBase: (address: number) => void }>(MAGIC_PAIRS_WASM, 1000);
    expect(loaded).not.toBeNull();
    expect(typeof loaded!.exports.setBase).toBe("function");
    expect(loaded!.memory).toBe(KernelMemory.get());
    expect(loaded!.buffer).toBe(KernelMemory.get()!.buffer);
    expect(loaded!.base % 64).toBe(0);
    expect(KernelMemory.get()!.reserve(8)).toBeGreaterThanOrEqual(loaded!.base + 1000);
  });
});
