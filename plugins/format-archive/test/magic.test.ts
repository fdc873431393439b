import { readFileSync } from "node:fs";
import type { Detector, Identified } from "@modelaudit/core";
import { driveDetector, parseWith } from "@modelaudit/core/testing";
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
});
