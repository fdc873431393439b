import { describe, expect, it } from "vitest";
import { MAX_HEADER_BYTES } from "../src/executable-headers.js";
import { ExecutableScanner } from "../src/executable-scanner.js";
import { buildMachO, buildPe, randomFloat32, tinyElf } from "./support/executables.js";

/** Feeds `bytes` in chunks of `size` and returns the hit offsets. */
function scan(bytes: Uint8Array, size: number, options: { maxHits?: number; deep?: boolean } = {}) {
  const scanner = new ExecutableScanner(options.maxHits ?? 10, options.deep ?? true);
  for (let offset = 0; offset < bytes.length; offset += size)
    scanner.push(bytes.subarray(offset, offset + size), offset);
  scanner.end();
  return scanner;
}

function place(base: Uint8Array, parts: [number, Uint8Array][]): Uint8Array {
  const bytes = base.slice();
  for (const [offset, part] of parts) bytes.set(part, offset);
  return bytes;
}

describe("ExecutableScanner", () => {
  const background = randomFloat32(64 * 1024, 7);
  const elf = tinyElf();

  it("finds headers wherever chunk boundaries fall, each exactly once", () => {
    const positions: [number, Uint8Array][] = [
      [1000, elf.subarray(0, 256)],
      [20_000, buildPe()],
      [40_001, buildMachO()],
    ];
    const bytes = place(background, positions);
    for (const size of [1, 3, 64, 1000, 4096, MAX_HEADER_BYTES, MAX_HEADER_BYTES + 1, 20_003, 65_536, 1 << 20]) {
      const offsets = scan(bytes, size).hits.map((hit) => hit.offset);
      expect(offsets, `chunk size ${size}`).toEqual([1000, 20_000, 40_001]);
    }
  });

  it("sees a header that starts in one chunk and ends in the next", () => {
    const bytes = place(background, [[8190, elf.subarray(0, 128)]]);
    expect(scan(bytes, 8192).hits.map((hit) => hit.offset)).toEqual([8190]);
  });

  it("examines the tail held back at the end of the source", () => {
    const bytes = place(background, [[background.length - 64, elf.subarray(0, 64)]]);
    expect(scan(bytes, 4096).hits.map((hit) => hit.offset)).toEqual([background.length - 64]);
    // one byte short of a complete ELF header at the very end: nothing
    const cut = place(background, [[background.length - 63, elf.subarray(0, 63)]]);
    expect(scan(cut, 4096).hits).toEqual([]);
  });

  it("stops at the per-source cap", () => {
    const parts: [number, Uint8Array][] = [0, 1, 2, 3, 4, 5].map((index) => [1000 + index * 5000, elf.subarray(0, 64)]);
    const scanner = scan(place(background, parts), 4096, { maxHits: 3 });
    expect(scanner.hits.map((hit) => hit.offset)).toEqual([1000, 6000, 11_000]);
  });

  it("only looks at the start when not deep (quick level)", () => {
    const bytes = place(background, [
      [0, elf.subarray(0, 64)],
      [30_000, elf.subarray(0, 64)],
    ]);
    expect(scan(bytes, 4096, { deep: false }).hits.map((hit) => hit.offset)).toEqual([0]);
    expect(scan(place(background, [[30_000, elf.subarray(0, 64)]]), 100, { deep: false }).hits).toEqual([]);
  });

  it("recognises a shebang only at offset 0", () => {
    const script = new TextEncoder().encode("#!/bin/sh\necho modelaudit-fixture\n");
    expect(scan(script, 5).shebang).toEqual({ interpreter: "sh" });
    expect(scan(place(background, [[10, script]]), 4096).shebang).toBeNull();
  });

  it("restarts cleanly when chunks arrive out of order", () => {
    const scanner = new ExecutableScanner(10, true);
    scanner.push(background.subarray(0, 5000), 0);
    scanner.push(elf.subarray(0, 64), 90_000);
    scanner.end();
    expect(scanner.hits.map((hit) => hit.offset)).toEqual([90_000]);
  });
});
