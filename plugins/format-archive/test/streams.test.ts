import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { decompressedName } from "../src/index.js";
import { anomalies, fixture, handlers } from "./helpers.js";

const payload = fixture("payload.pkl");
const bigText = JSON.parse(new TextDecoder().decode(fixture("text-250k.json"))) as { size: number; sha256: string };
const hasZstd = existsSync(new URL("./fixtures/payload.pkl.zst", import.meta.url));
const hasLz4 = existsSync(new URL("./fixtures/payload.pkl.lz4", import.meta.url));

describe("compressed streams", () => {
  const cases: [string, string][] = [
    ["payload.pkl.gz", "gzip"],
    ["payload.pkl.z", "zlib"],
    ["payload.pkl.bz2", "bzip2"],
    ["payload.pkl.xz", "xz"],
    ["payload.pkl.lzma", "lzma"],
    ["multi.pkl.bz2", "bzip2"],
    ["multi.pkl.gz", "gzip"],
  ];
  if (hasZstd) cases.push(["payload.pkl.zst", "zstd"]);
  if (hasLz4) cases.push(["payload.pkl.lz4", "lz4"]);
  it.each(cases)("%s is decoded by %s and scanned as a child", async (file, format) => {
    const result = await parseWith(handlers, file, fixture(file));
    expect(result.formats).toEqual([format]);
    expect(result.children).toHaveLength(1);
    expect(result.children[0]?.chain).toEqual([decompressedName(file)]);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(result.inconclusive).toEqual([]);
  });

  it.each([
    "text-250k.bin.bz2",
    "text-250k.bin.xz",
    "text-250k.bin.lzma",
    ...(hasZstd ? ["text-250k.bin.zst"] : []),
    ...(hasLz4 ? ["text-250k.bin.lz4"] : []),
  ])("%s (several blocks, long matches) decodes to the original bytes", async (file) => {
    const result = await parseWith(handlers, file, fixture(file));
    const bytes = result.children[0]?.bytes ?? new Uint8Array();
    expect(bytes.length).toBe(bigText.size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(bigText.sha256);
  });

  it("names children without their extension", () => {
    expect(decompressedName("model.pkl.gz")).toBe("model.pkl");
    // joblib compresses the model file whole: the content is still the model.
    expect(decompressedName("weights.joblib")).toBe("weights.joblib");
    expect(decompressedName("model.TGZ")).toBe("model.tar");
    expect(decompressedName("blob")).toBe("blob");
    expect(decompressedName(".gz")).toBe("decompressed");
  });

  it.each(["payload.pkl.gz", "payload.pkl.bz2", "payload.pkl.xz", "payload.pkl.lzma", "payload.pkl.z"])(
    "a truncated %s is inconclusive and its prefix is still scanned",
    async (file) => {
      const whole = fixture(file);
      const result = await parseWith(handlers, file, whole.subarray(0, Math.floor(whole.length * 0.7)));
      expect(result.inconclusive.length).toBeGreaterThan(0);
      expect(anomalies(result.facts).some((fact) => fact.code === "truncated" || fact.code === "malformed")).toBe(true);
    },
  );

  it("does not claim a pickle or plain text", async () => {
    const result = await parseWith(handlers, "payload.pkl", payload);
    expect(result.formats).toEqual([]);
    const text = await parseWith(
      handlers,
      "notes.txt",
      new TextEncoder().encode("x^ just some text that starts with x"),
    );
    expect(text.formats).toEqual([]);
  });
});

describe("lz4 frames", () => {
  const frame = fixture("payload.pkl.lz4");

  it("reports a frame cut short as truncated and inconclusive", async () => {
    const result = await parseWith(handlers, "cut.lz4", frame.subarray(0, frame.length - 12));
    expect(result.formats).toEqual(["lz4"]);
    expect(result.inconclusive.join()).toMatch(/lz4/);
  });

  it("refuses a back-reference before the start of the output", async () => {
    // Frame header (version 01, independent blocks, 64 KiB blocks), then one compressed block whose
    // only sequence is 1 literal and a match 9 bytes back.
    const block = [0x10, 0x41, 0x09, 0x00];
    const bytes = new Uint8Array([
      ...[0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82],
      ...[block.length, 0, 0, 0, ...block],
      ...[0, 0, 0, 0],
    ]);
    const result = await parseWith(handlers, "bad.lz4", bytes);
    expect(result.inconclusive.join()).toMatch(/reaches 9 bytes back/);
  });

  it("reports bytes after the last frame", async () => {
    const withTail = new Uint8Array([...frame, 1, 2, 3, 4, 5, 6, 7, 8]);
    const result = await parseWith(handlers, "tail.lz4", withTail);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(anomalies(result.facts).map((anomaly) => anomaly.code)).toContain("trailing-data");
  });
});
