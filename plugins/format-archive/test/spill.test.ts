import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { BufferSource, DEFAULT_LIMITS, FileSource, type Limits, type ParseContext } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { UnsupportedFeatureError } from "../src/decode/decode-errors.js";
import { decodeLz4Frames, LZ4_WINDOW } from "../src/decode/lz4-decoder.js";
import { WindowedOutput } from "../src/decode/windowed-output.js";
import { decodeXz } from "../src/decode/xz-decoder.js";
import { streamHandlers } from "../src/index.js";
import { fixture } from "./helpers.js";

function spillDirectories(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith("modelaudit-stream-"));
}

/** Parses with one stream handler alone; the child is read to its end while its scan would run. */
async function decodeWith(handlerId: string, compressed: Uint8Array, limits: Partial<Limits>) {
  const seen = {
    inconclusive: [] as string[],
    child: null as { spilled: boolean; size: number; sha256: string } | null,
  };
  const merged: Limits = { ...DEFAULT_LIMITS, ...limits };
  let inflated = 0;
  const context: ParseContext = {
    source: new BufferSource("big.bin.gz", compressed),
    file: "big.bin.gz",
    memberChain: [],
    limits: merged,
    level: "standard",
    emit: () => undefined,
    emitTensor: () => undefined,
    addFormat: () => undefined,
    scanChild: async (_name, child) => {
      const hash = createHash("sha256");
      for (let offset = 0; offset < child.size; offset += 1 << 20) hash.update(await child.read(offset, 1 << 20));
      seen.child = { spilled: child instanceof FileSource, size: child.size, sha256: hash.digest("hex") };
    },
    inconclusive: (reason) => seen.inconclusive.push(reason),
    checkDeadline: () => undefined,
    chargeInflated: (bytes) => {
      inflated += bytes;
    },
  };
  await streamHandlers.find((handler) => handler.id === handlerId)?.parse(context);
  return { ...seen, inflated };
}

const gunzip = (compressed: Uint8Array, limits: Partial<Limits>) => decodeWith("gzip", compressed, limits);

describe("gzip and zlib streams past memory", () => {
  it("decodes a stream larger than the in-memory limit to a temporary file, scans it, then removes it", async () => {
    const original = randomBytes(12 * 1024 * 1024);
    const compressed = gzipSync(original, { level: 1 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const before = spillDirectories();
    try {
      const result = await gunzip(compressed, { maxInMemoryBytes: 1024 * 1024 });
      expect(result.inconclusive).toEqual([]);
      expect(result.child).toEqual({
        spilled: true,
        size: original.length,
        sha256: createHash("sha256").update(original).digest("hex"),
      });
      expect(result.inflated).toBe(original.length);
    } finally {
      process.off("warning", onWarning);
    }
    // Every chunk waited for zlib to drain: no listener is left behind on its stream.
    expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
    expect(spillDirectories()).toEqual(before);
  });

  it("keeps a stream under the in-memory limit in memory", async () => {
    const original = randomBytes(256 * 1024);
    const result = await gunzip(gzipSync(original), {});
    expect(result.child?.spilled).toBe(false);
    expect(result.child?.size).toBe(original.length);
  });

  it("still bounds a spilled stream by its compression ratio, and scans the prefix", async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const result = await gunzip(gzipSync(zeros), {
      maxInMemoryBytes: 256 * 1024,
      maxCompressionRatio: 100,
      ratioMinBytes: 64 * 1024,
    });
    expect(result.inconclusive.join("\n")).toMatch(/compression ratio above 100:1/);
    expect(result.child?.spilled).toBe(true);
    expect(result.child?.size).toBeLessThan(zeros.length);
  });
});

describe("the compression ratio with the default limits: a bomb is a high ratio and a large output", () => {
  it("decodes and scans in full a gzip stream of 8 MB of zeros (~1000:1)", async () => {
    const zeros = new Uint8Array(8 * 1000 * 1000);
    const result = await gunzip(gzipSync(zeros, { level: 9 }), {});
    expect(result.inconclusive).toEqual([]);
    expect(result.child?.size).toBe(zeros.length);
  });

  it("stops a gzip stream of zeros once it passes ratioMinBytes", async () => {
    const zeros = new Uint8Array(96 * 1024 * 1024);
    const result = await gunzip(gzipSync(zeros, { level: 9 }), {});
    expect(result.inconclusive.join("\n")).toMatch(/compression ratio above 1000:1/);
    expect(result.child?.size).toBeLessThan(zeros.length);
  });
});

describe("bzip2, zstd, lz4, xz and lzma streams past memory", () => {
  const original = JSON.parse(new TextDecoder().decode(fixture("text-250k.json"))) as { size: number; sha256: string };

  const streams = [
    ["bzip2", "text-250k.bin.bz2"],
    ["zstd", "text-250k.bin.zst"],
    ["lz4", "text-250k.bin.lz4"],
    ["xz", "text-250k.bin.xz"],
    ["lzma", "text-250k.bin.lzma"],
  ].filter(([, file]) => existsSync(new URL(`./fixtures/${file}`, import.meta.url)));

  it.each(streams)(
    "%s: an output larger than the in-memory limit goes to a temporary file, removed after the scan",
    async (id, file) => {
      const before = spillDirectories();
      const result = await decodeWith(id, fixture(file), { maxInMemoryBytes: 128 * 1024 });
      expect(result.inconclusive).toEqual([]);
      expect(result.child).toEqual({ spilled: true, size: original.size, sha256: original.sha256 });
      expect(result.inflated).toBe(original.size);
      expect(spillDirectories()).toEqual(before);
    },
  );

  it.each(streams)("%s: still bounded by the compression ratio, and the prefix is scanned", async (id, file) => {
    const compressed = fixture(file);
    const result = await decodeWith(id, compressed, {
      maxInMemoryBytes: 128 * 1024,
      maxCompressionRatio: 2,
      ratioMinBytes: 64 * 1024,
    });
    expect(result.inconclusive.join("\n")).toMatch(/compression ratio above 2:1/);
    expect(result.child?.size).toBeLessThanOrEqual(Math.max(64 * 1024, compressed.length * 2));
  });

  it.each([1, 1000, 70_000])("lz4 through a 64 KiB window sliding every %i bytes decodes to the original", (room) => {
    const chunks: Uint8Array[] = [];
    const windowed = new WindowedOutput({ append: (chunk) => chunks.push(chunk) }, LZ4_WINDOW, room);
    decodeLz4Frames(fixture("text-250k.bin.lz4"), windowed);
    windowed.flush();
    const hash = createHash("sha256");
    for (const chunk of chunks) hash.update(chunk);
    expect(windowed.length).toBe(original.size);
    expect(hash.digest("hex")).toBe(original.sha256);
  });

  it("xz through a sliding window decodes to the original; a match past the window stops the decode", () => {
    const chunks: Uint8Array[] = [];
    const windowed = new WindowedOutput({ append: (chunk) => chunks.push(chunk) }, 256 * 1024, 1000);
    decodeXz(fixture("text-250k.bin.xz"), windowed);
    windowed.flush();
    const hash = createHash("sha256");
    for (const chunk of chunks) hash.update(chunk);
    expect(hash.digest("hex")).toBe(original.sha256);

    const small = new WindowedOutput({ append: () => undefined }, 16, 1000);
    expect(() => decodeXz(fixture("text-250k.bin.xz"), small)).toThrow(UnsupportedFeatureError);
  });
});
