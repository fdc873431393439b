import type { DetectorContext } from "@modelaudit/core";
import { driveDetector } from "@modelaudit/core/testing";
import executable, { MAX_HEADER_BYTES } from "@modelaudit/format-executable";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { buildMachO, buildPe, randomFloat32, tinyElf } from "./support/executables.js";

const detector = plugin.detectors[0]!;

/** Streams `bytes` to the detector in chunks of `size`, identify backed by the executable handlers; the offsets it reports. */
function scan(bytes: Uint8Array, size: number, options: { maxHits?: number; level?: "quick" | "standard" } = {}) {
  const reports = driveDetector(detector, {
    sources: [bytes],
    chunkSize: size,
    level: options.level ?? "standard",
    options: { maxFindingsPerSource: options.maxHits ?? 10 },
    identifyWith: executable.formats,
  });
  return reports.filter((report) => report.rule === "embedded-executable").map((report) => report.location?.offset);
}

/** The engine's identify over the executable handlers, as driveDetector wires it, for hand-driven runs. */
function engineIdentify(): DetectorContext["identify"] {
  let identify: DetectorContext["identify"] = () => [];
  const probe = { id: "probe", description: "keeps its identify", facts: [], rules: [] };
  driveDetector(
    {
      ...probe,
      create: (context) => {
        identify = context.identify;
        return {};
      },
    },
    { identifyWith: executable.formats },
  );
  return identify;
}

function place(base: Uint8Array, parts: [number, Uint8Array][]): Uint8Array {
  const bytes = base.slice();
  for (const [offset, part] of parts) bytes.set(part, offset);
  return bytes;
}

describe("executables inside a byte stream (identify over chunks)", () => {
  const background = randomFloat32(64 * 1024, 7);
  const elf = tinyElf();

  it("finds headers wherever chunk boundaries fall, each exactly once", () => {
    const positions: [number, Uint8Array][] = [
      [1000, elf.subarray(0, 256)],
      [20_000, buildPe()],
      [40_001, buildMachO()],
    ];
    const bytes = place(background, positions);
    for (const size of [
      7,
      64,
      1000,
      4096,
      MAX_HEADER_BYTES,
      MAX_HEADER_BYTES + 1,
      19_999,
      20_001,
      20_003,
      65_536,
      1 << 20,
    ]) {
      expect(scan(bytes, size), `chunk size ${size}`).toEqual([1000, 20_000, 40_001]);
    }
  });

  it("sees a header that starts in one chunk and ends in the next", () => {
    const bytes = place(background, [[8190, elf.subarray(0, 128)]]);
    expect(scan(bytes, 8192)).toEqual([8190]);
  });

  it("examines the tail held back at the end of the source", () => {
    const bytes = place(background, [[background.length - 64, elf.subarray(0, 64)]]);
    expect(scan(bytes, 4096)).toEqual([background.length - 64]);
    // one byte short of a complete ELF header at the very end: nothing
    const cut = place(background, [[background.length - 63, elf.subarray(0, 63)]]);
    expect(scan(cut, 4096)).toEqual([]);
  });

  it("stops at the per-source cap", () => {
    const parts: [number, Uint8Array][] = [0, 1, 2, 3, 4, 5].map((index) => [1000 + index * 5000, elf.subarray(0, 64)]);
    expect(scan(place(background, parts), 4096, { maxHits: 3 })).toEqual([1000, 6000, 11_000]);
  });

  it("looks past the start only at the standard and thorough levels", () => {
    expect(scan(place(background, [[30_000, elf.subarray(0, 64)]]), 100, { level: "quick" })).toEqual([]);
  });

  it("leaves the start of a source to its format labels", () => {
    // driveDetector's source carries no labels: an executable at offset 0 is not re-found in its bytes.
    expect(scan(place(background, [[0, elf.subarray(0, 64)]]), 4096)).toEqual([]);
  });

  it("restarts cleanly when chunks arrive out of order", () => {
    const offsets: number[] = [];
    const run = detector.create({
      report: (input) => offsets.push(input.location?.offset ?? -1),
      inconclusive: () => undefined,
      options: {},
      level: "standard",
      identify: engineIdentify(),
    });
    const origin = { file: "w.bin", memberChain: [], formats: [] };
    run.onBytes?.(background.subarray(0, 5000), 0, origin);
    run.onBytes?.(elf.subarray(0, 64), 90_000, origin);
    run.onBytesEnd?.(origin);
    run.finish?.({ file: "w.bin", size: 0, sha256: null, formats: [] });
    expect(offsets).toEqual([90_000]);
  });

  // KNOWN GAP (core): identify stops silently after 256 magic candidates per call, so 300 bare
  // "\x7fELF" (1.2 KB) hide the executables behind them in the same chunk, and nothing says so. Once
  // identify reports that it stopped (the detector then records inconclusive) or has no silent bound,
  // drop `.fails` and assert what the detector does.
  it("finds executables behind a flood of bare magics in the same chunk", () => {
    const bytes = background.slice();
    for (let index = 0; index < 300; index++) bytes.set([0x7f, 0x45, 0x4c, 0x46], 100 + index * 8);
    bytes.set(buildPe(), 30_000);
    expect(scan(bytes, 1 << 20)).toEqual([30_000]);
  });
});
