import { readFileSync } from "node:fs";
import type { Detector, Identified } from "@modelaudit/core";
import { driveDetector, parseWith, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixture, handlers } from "./helpers.js";

/** Real streams and archives, one per handler that declares `magic`. */
const samples: [string, Uint8Array][] = [
  ["gzip", fixture("payload.pkl.gz")],
  ["bzip2", fixture("payload.pkl.bz2")],
  ["xz", fixture("payload.pkl.xz")],
  ["zstd", fixture("payload.pkl.zst")],
  ["lz4", fixture("payload.pkl.lz4")],
  ["7z", fixture("solid-lzma2.7z")],
  [
    "joblib-zfile",
    new Uint8Array(
      readFileSync(
        new URL("../../../tooling/fixtures/differential-joblib/zfile_compat_format.joblib", import.meta.url),
      ),
    ),
  ],
];

/** What `identify` answers on these bytes with the archive handlers, as a detector sees it. */
function identify(bytes: Uint8Array): Identified[] {
  let found: Identified[] = [];
  const probe: Detector = {
    id: "probe",
    description: "asks identify about its source",
    facts: [],
    bytes: true,
    rules: [],
    create: (context) => ({
      onBytes: (chunk) => {
        found = context.identify(chunk, { magicOnly: true });
      },
    }),
  };
  driveDetector(probe, { sources: [bytes], identifyWith: handlers });
  return found;
}

describe("magic: what identify searches for", () => {
  it("every handler with a magic claims its real sample, which starts with that magic", async () => {
    for (const [id, bytes] of samples) {
      const handler = handlers.find((candidate) => candidate.id === id);
      expect(
        handler?.magic?.some((magic) => magic.every((byte, index) => bytes[index] === byte)),
        id,
      ).toBe(true);
      expect((await parseWith(handlers, "sample", bytes)).formats, id).toContain(id);
    }
  });

  it("handlers whose formats have no usable magic declare none (tar, zlib, LZMA-alone)", () => {
    const without = handlers.filter((handler) => handler.magic === undefined).map((handler) => handler.id);
    expect(without).toEqual(expect.arrayContaining(["lzma", "tar", "zlib"]));
  });

  it("finds each stream embedded after other bytes", () => {
    for (const [id, bytes] of samples) {
      const embedded = new Uint8Array(1000 + bytes.length);
      embedded.fill(0x20, 0, 1000);
      embedded.set(bytes, 1000);
      expect(identify(embedded), id).toContainEqual({ format: id, offset: 1000 });
    }
  });

  it("does not take a bare magic in random bytes for a stream (the low bits of weights are random)", () => {
    const random = seededRandom(21);
    // Claims allowed per 3000 planted magics: none where a trial inflate or a header checksum follows
    // the magic; zstd's header leaves about 1 in 64 (with its 4-byte magic, 2^-38 per offset of random bytes).
    const magics: [string, number[], number][] = [
      ["gzip", [0x1f, 0x8b, 0x08], 0],
      ["zstd", [0x28, 0xb5, 0x2f, 0xfd], 90],
      ["lz4", [0x04, 0x22, 0x4d, 0x18], 0],
    ];
    for (const [id, magic, allowed] of magics) {
      let claimed = 0;
      for (let trial = 0; trial < 3000; trial++) {
        const bytes = Uint8Array.from({ length: 512 }, () => Math.floor(random() * 256));
        bytes.set(magic, 100);
        // The plain sniff's own condition holds, as it would for a chance match that got this far.
        if (id === "lz4") bytes[104] = 0x40 | ((bytes[104] as number) & 0x3f);
        if (identify(bytes).some((found) => found.format === id && found.offset === 100)) claimed++;
      }
      expect(claimed, id).toBeLessThanOrEqual(allowed);
    }
  });
});
