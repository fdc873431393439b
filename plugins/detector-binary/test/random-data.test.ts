import { driveDetector, scanBytes } from "@modelaudit/core/testing";
import executable from "@modelaudit/format-executable";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { buildPe, randomBytes, randomFloat32, tinyElf } from "./support/executables.js";

describe("random and mutated data (seeded property tests)", () => {
  it("several MB of random float32 weights and uniform random bytes yield no findings, in bounded time", async () => {
    const started = Date.now();
    for (const seed of [1, 2, 3]) {
      const floats = await scanBytes("weights.bin", randomFloat32(4 * 1024 * 1024, seed), [plugin, executable]);
      expect(floats.findings).toEqual([]);
      const uniform = await scanBytes("blob.dat", randomBytes(4 * 1024 * 1024, seed), [plugin, executable]);
      expect(uniform.findings).toEqual([]);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("bit flips, truncations and absurd fields in real headers never throw and never over-report", () => {
    let state = 99;
    const next = (limit: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % limit;
    };
    const originals = [tinyElf().slice(0, 512), buildPe()];
    for (let round = 0; round < 2000; round++) {
      const original = originals[round % originals.length] as Uint8Array;
      const mutated = original.slice(0, 1 + next(original.length));
      for (let flip = 0; flip < 1 + next(4); flip++) {
        const at = next(mutated.length);
        mutated[at] = (mutated[at] as number) ^ (1 << next(8));
      }
      if (round % 7 === 0 && mutated.length > 0x40) new DataView(mutated.buffer).setUint32(0x3c, 0xffffffff, true);
      // Embedded past the start, where the byte stream (not the source's labels) has to find it.
      const bytes = new Uint8Array(16 + mutated.length);
      bytes.set(mutated, 16);
      const reports = driveDetector(plugin.detectors[0]!, { sources: [bytes], identifyWith: executable.formats });
      expect(reports.length).toBeLessThanOrEqual(3);
    }
  });

  it("a chunk full of valid headers stays bounded by the cap", async () => {
    const elf = tinyElf().subarray(0, 64);
    const bytes = new Uint8Array(2 * 1024 * 1024);
    for (let offset = 0; offset + 64 <= bytes.length; offset += 64) bytes.set(elf, offset);
    const report = await scanBytes("many", bytes, [plugin, executable]);
    expect(report.findings).toHaveLength(3);
  });
});
