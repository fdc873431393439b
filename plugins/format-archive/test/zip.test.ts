import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import { FileSource } from "@modelaudit/core";
import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { zipHandler } from "../src/index.js";
import { anomalies, bufferSource, CountingSource, entries, fixture, handlers, runHandler } from "./helpers.js";

const payload = fixture("payload.pkl");

/** A minimal one-member zip written byte by byte, for layouts no tool produces. */
function buildZip(options: {
  name?: string;
  data: Uint8Array;
  method?: number;
  size?: number;
  declaredCompressed?: number;
  entryCount?: number;
}): Uint8Array {
  const name = new TextEncoder().encode(options.name ?? "data.pkl");
  const method = options.method ?? 0;
  const size = options.size ?? options.data.length;
  const compressed = options.declaredCompressed ?? options.data.length;
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, method, true);
  local.setUint32(18, compressed >>> 0, true);
  local.setUint32(22, size >>> 0, true);
  local.setUint16(26, name.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, method, true);
  central.setUint32(20, compressed >>> 0, true);
  central.setUint32(24, size >>> 0, true);
  central.setUint16(28, name.length, true);
  const localLength = 30 + name.length + options.data.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, options.entryCount ?? 1, true);
  end.setUint16(10, options.entryCount ?? 1, true);
  end.setUint32(12, 46 + name.length, true);
  end.setUint32(16, localLength, true);
  const parts = [
    new Uint8Array(local.buffer),
    name,
    options.data,
    new Uint8Array(central.buffer),
    name,
    new Uint8Array(end.buffer),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe("zip handler", () => {
  it("lists every member with types, and links are not scanned as files", async () => {
    const result = await parseWith(handlers, "deflated.zip", fixture("deflated.zip"));
    const found = entries(result.facts).map((fact) => [fact.name, fact.type, fact.method, fact.size]);
    expect(found).toEqual([
      ["model/", "directory", "deflate", 0],
      ["model/data.pkl", "file", "deflate", payload.length],
      ["model/notes.txt", "file", "stored", 20],
      ["model/link", "symlink", "stored", 16],
    ]);
    expect(entries(result.facts).find((fact) => fact.type === "symlink")?.linkTarget).toBe("../../etc/passwd");
    expect(result.children.map((child) => child.chain[0])).toEqual(["model/data.pkl", "model/notes.txt"]);
    expect(result.children[0]?.bytes).toEqual(payload);
  });

  it("emits the archive comment and member comments as text facts", async () => {
    // Written by Python's zipfile (tooling/fixtures/generate_text_channel_fixtures.py).
    const bundle = new URL("../../../tooling/fixtures/text-channel/canary/bundle.zip", import.meta.url);
    const result = await parseWith(handlers, "bundle.zip", new Uint8Array(readFileSync(bundle)));
    const texts = result.facts.filter((fact) => fact.kind === "text");
    expect(texts.map((fact) => [fact.key, fact.text, fact.role, fact.location?.path])).toEqual([
      ["zip.comment", "mdlcanary-zip-archive-comment", "metadata", "zip.comment"],
      ["model/notes.txt#comment", "mdlcanary-zip-member-comment", "metadata", "model/notes.txt#comment"],
    ]);
    // A zip without comments gives no text facts of its own.
    const plain = await parseWith([zipHandler], "deflated.zip", fixture("deflated.zip"));
    expect(plain.facts.filter((fact) => fact.kind === "text")).toEqual([]);
  });

  it("labels a torch checkpoint layout", async () => {
    const result = await parseWith(handlers, "torch-layout.zip", fixture("torch-layout.zip"));
    expect(result.formats).toEqual(expect.arrayContaining(["zip", "pytorch-zip"]));
    expect(result.children.find((child) => child.chain[0] === "archive/data.pkl")?.bytes).toEqual(payload);
  });

  it.each(["zip64-forced.zip", "zip64-full.zip"])("reads %s", async (file) => {
    const result = await parseWith(handlers, file, fixture(file));
    expect(result.children).toHaveLength(1);
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(entries(result.facts)[0]?.size).toBe(payload.length);
    expect(result.inconclusive).toEqual([]);
    expect(anomalies(result.facts).filter((fact) => fact.code !== "unusual-structure")).toEqual([]);
  });

  it("finds a zip behind prepended data (self-extractor) and says so", async () => {
    const result = await parseWith(handlers, "prepended.zip", fixture("prepended.zip"));
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(anomalies(result.facts).some((fact) => /before the first local header/.test(fact.message))).toBe(true);
  });

  it("recurses into a nested zip", async () => {
    const result = await parseWith(handlers, "nested.zip", fixture("nested.zip"));
    expect(result.children.map((child) => child.chain)).toEqual([
      ["outer/inner.zip"],
      ["outer/inner.zip", "inner/data.pkl"],
    ]);
    expect(result.children[1]?.bytes).toEqual(payload);
  });

  it.each(["bzip2-member.zip", "lzma-member.zip"])("decodes %s", async (file) => {
    const result = await parseWith(handlers, file, fixture(file));
    expect(result.children[0]?.bytes).toEqual(payload);
    expect(result.inconclusive).toEqual([]);
  });

  it("hands a stored member over as a slice: the data is never read by the handler", async () => {
    const big = new Uint8Array(8 * 1024 * 1024).fill(0x41);
    const zip = buildZip({ data: big });
    const directory = mkdtempSync(path.join(tmpdir(), "format-archive-"));
    try {
      const file = path.join(directory, "big.zip");
      writeFileSync(file, zip);
      const source = new CountingSource(new FileSource(file, zip.length));
      const run = await runHandler(zipHandler, source);
      expect(run.children).toHaveLength(1);
      expect(run.children[0]?.source.size).toBe(big.length);
      expect(source.bytesRead).toBeLessThan(70 * 1024);
      const sample = await run.children[0]?.source.read(big.length - 4, 4);
      expect(sample).toEqual(new Uint8Array([0x41, 0x41, 0x41, 0x41]));
      await (source as unknown as { inner: FileSource }).inner.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("stops a deflate bomb at the ratio bound without inflating all of it", async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const bomb = deflateRawSync(zeros, { level: 9 });
    const zip = buildZip({ data: bomb, method: 8, size: zeros.length });
    const before = process.memoryUsage().arrayBuffers;
    const run = await runHandler(zipHandler, bufferSource("bomb.zip", zip), {
      maxCompressionRatio: 100,
      ratioMinBytes: 64 * 1024,
    });
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(run.inconclusive.join("\n")).toMatch(/compression ratio above 100/);
    expect(anomalies(run.facts).some((fact) => fact.code === "limit-exceeded")).toBe(true);
    expect(run.inflated).toBeLessThanOrEqual(bomb.length * 100 + 64 * 1024);
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });

  it("decodes a small member of zeros in full: its ~1000:1 ratio is no bomb below ratioMinBytes", async () => {
    const zeros = new Uint8Array(8 * 1000 * 1000);
    const zip = buildZip({
      name: "mask.npy",
      data: deflateRawSync(zeros, { level: 9 }),
      method: 8,
      size: zeros.length,
    });
    const run = await runHandler(zipHandler, bufferSource("zeros.npz", zip));
    expect(run.inconclusive).toEqual([]);
    expect(anomalies(run.facts).some((fact) => fact.code === "limit-exceeded")).toBe(false);
    expect(run.inflated).toBe(zeros.length);
  });

  it("stops a member of zeros past ratioMinBytes at the ratio bound", async () => {
    const zeros = new Uint8Array(96 * 1024 * 1024);
    const bomb = deflateRawSync(zeros, { level: 9 });
    const run = await runHandler(zipHandler, bufferSource("bomb.zip", buildZip({ data: bomb, method: 8, size: 1024 })));
    expect(run.inconclusive.join("\n")).toMatch(/compression ratio above 1000:1/);
    expect(run.inflated).toBeLessThanOrEqual(bomb.length * 1000);
  });

  it("charges inflated bytes and stops at the artifact budget", async () => {
    const data = new Uint8Array(3 * 1024 * 1024).map((_, index) => (index * 7919) & 0xff);
    const zip = buildZip({ data: deflateRawSync(data), method: 8, size: data.length });
    const run = await runHandler(zipHandler, bufferSource("budget.zip", zip), { maxInflatedBytes: 1024 * 1024 });
    expect(run.inconclusive.join("\n")).toMatch(/inflated budget spent/);
  });

  it("reports a truncated zip and still scans what it can", async () => {
    const whole = fixture("deflated.zip");
    const result = await parseWith(handlers, "cut.zip", whole.subarray(0, 200));
    expect(anomalies(result.facts).some((fact) => fact.code === "truncated")).toBe(true);
    expect(result.inconclusive.length).toBeGreaterThan(0);
  });

  it("survives absurd sizes in the central directory", async () => {
    const zip = buildZip({ data: payload, declaredCompressed: 0xfffffff0, size: 0xfffffff0 });
    const result = await parseWith(handlers, "absurd.zip", zip);
    expect(anomalies(result.facts).some((fact) => fact.code === "truncated")).toBe(true);
    expect(result.inconclusive.join("\n")).toMatch(/cut short|runs past/);
  });

  it("reports a central directory count mismatch", async () => {
    const zip = buildZip({ data: payload, entryCount: 3 });
    const result = await parseWith(handlers, "count.zip", zip);
    expect(anomalies(result.facts).some((fact) => /declares 3 members/.test(fact.message))).toBe(true);
    expect(result.children).toHaveLength(1);
  });

  it("reports overlapping members and trailing data", async () => {
    const single = buildZip({ data: payload });
    // A second central entry pointing at the same local header, and junk after the end record.
    const view = new DataView(single.buffer);
    const endOffset = single.length - 22;
    const centralSize = view.getUint32(endOffset + 12, true);
    const centralStart = view.getUint32(endOffset + 16, true);
    const central = single.subarray(centralStart, centralStart + centralSize);
    const end = new Uint8Array(single.subarray(endOffset));
    const endView = new DataView(end.buffer);
    endView.setUint16(8, 2, true);
    endView.setUint16(10, 2, true);
    endView.setUint32(12, centralSize * 2, true);
    const zip = new Uint8Array([...single.subarray(0, endOffset), ...central, ...end, 1, 2, 3]);
    const result = await parseWith(handlers, "overlap.zip", zip);
    const messages = anomalies(result.facts).map((fact) => fact.message);
    expect(messages.some((message) => /overlapping/.test(message))).toBe(true);
    expect(messages.some((message) => /more than once/.test(message))).toBe(true);
    expect(anomalies(result.facts).some((fact) => fact.code === "trailing-data")).toBe(true);
  });

  it("marks unsupported methods inconclusive", async () => {
    const zip = buildZip({ data: payload, method: 98 });
    const result = await parseWith(handlers, "ppmd.zip", zip);
    expect(result.inconclusive.join("\n")).toMatch(/ppmd compression, which is not supported/);
    expect(result.children).toHaveLength(0);
  });
});
