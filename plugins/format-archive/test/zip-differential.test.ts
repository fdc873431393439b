import { readFileSync } from "node:fs";
import { BufferSource, DEFAULT_LIMITS } from "@modelaudit/core";
import { parseWith, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { zipHandler } from "../src/index.js";
import { minizEndRecord, readAsMiniz, readAsZipfile, zipfileEndRecord } from "../src/zip/loader-readings.js";
import { minizLocate, minizSortedOrder } from "../src/zip/miniz-lookup.js";
import { anomalies, CountingSource, entries, handlers, runHandler } from "./helpers.js";

/** Files written by tooling/fixtures/generate_differential_zip_fixtures.py, with what real loaders reached. */
const directory = new URL("../../../tooling/fixtures/differential-zip/", import.meta.url);

interface ManifestEntry {
  file: string;
  expect: "clean" | "findings" | "inconclusive";
  rules: string[];
  reached: { loaders: string[]; globals: string[]; members?: string[] };
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", directory), "utf8")) as ManifestEntry[];
const load = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, directory)));
const differentials = (facts: Awaited<ReturnType<typeof parseWith>>["facts"]) =>
  anomalies(facts).filter((fact) => fact.code === "parser-differential");
/** Every payload calls os.system / posix.system (pickles and the Keras config alike). */
const payloadMarker = new TextEncoder().encode("system");

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle));
}

describe("differential zips: every reading a real loader makes", () => {
  it("has the fixture set", () => {
    expect(manifest.filter((entry) => entry.expect === "findings").length).toBeGreaterThanOrEqual(15);
    expect(manifest.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(4);
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))("%s", async (file, entry) => {
    const result = await parseWith(handlers, file, load(file));
    const found = differentials(result.facts);
    if (entry.expect === "clean") {
      expect(found.map((fact) => fact.message)).toEqual([]);
      expect(result.inconclusive).toEqual([]);
      return;
    }
    if (entry.rules.includes("code-execution/parser-differential")) expect(found.length).toBeGreaterThan(0);
    // Every member any real loader read is listed (under the name that loader uses) ...
    const listed = new Set(entries(result.facts).map((fact) => fact.name));
    for (const member of entry.reached.members ?? []) expect(listed, member).toContain(member);
    // ... and the payload pickle, wherever a reader finds it, reaches the scanner as a child or as the file.
    const scanned = [load(file), ...result.children.filter((child) => child.chain.length === 1).map((c) => c.bytes)];
    const withPayload = scanned.filter((bytes) => contains(bytes, payloadMarker));
    expect(withPayload.length).toBeGreaterThan(0);
    // Prepended pickles are read from the file itself; an unsized hidden member cannot be cut out at all
    // (the file is inconclusive and the differential is the finding).
    if (file.includes("unsized")) expect(result.inconclusive.join("\n")).toMatch(/unknown length/);
    else if (!file.includes("prepended")) expect(withPayload.slice(1).length, "payload in a member").toBeGreaterThan(0);
  });

  it("the hidden end record: miniz and zipfile take the last signature, the main reader the one the comment ends", async () => {
    const bytes = load("torch_comment_hidden_end_record.pt");
    const source = new BufferSource("hidden.pt", bytes);
    const miniz = minizEndRecord(bytes, 0, bytes.length);
    const zipfile = zipfileEndRecord(bytes, 0, bytes.length);
    // The hidden record claims a 1-byte comment that is not there: miniz and zipfile take it anyway.
    expect(miniz).toBe(bytes.length - 22);
    expect(zipfile).toBe(miniz);
    const reading = await readAsMiniz(source, miniz as number, DEFAULT_LIMITS);
    expect("reading" in reading && reading.reading.entries.map((entry) => entry.name)).toEqual([
      "archive/data.pkl",
      "archive/data/0",
      "archive/data/1",
      "archive/version",
    ]);
    const result = await parseWith(handlers, "hidden.pt", bytes);
    expect(differentials(result.facts).some((fact) => /different end records/.test(fact.message))).toBe(true);
    // The payload lives in the hidden checkpoint: it is scanned although the main reader does not list it.
    const pickles = result.children.filter((child) => child.chain[0] === "archive/data.pkl");
    expect(pickles).toHaveLength(2);
    expect(pickles.filter((child) => contains(child.bytes, payloadMarker))).toHaveLength(1);
  });

  it("offsets one reader shifts and another takes literally lead to different directories", async () => {
    const bytes = load("torch_shifted_vs_literal.pt");
    const source = new BufferSource("shifted.pt", bytes);
    const end = bytes.length - 22;
    const miniz = await readAsMiniz(source, end, DEFAULT_LIMITS);
    const zipfile = await readAsZipfile(source, end, DEFAULT_LIMITS);
    if (!("reading" in miniz) || !("reading" in zipfile)) throw new Error("both loaders read this file");
    expect(miniz.reading.entries[0]?.localOffset).toBe(0);
    expect(zipfile.reading.entries[0]?.localOffset).toBeGreaterThan(0);
    const result = await parseWith(handlers, "shifted.pt", bytes);
    expect(differentials(result.facts).some((fact) => /torch.load \(miniz\) and zipfile/.test(fact.message))).toBe(
      true,
    );
  });

  it("zipfile cuts names at NUL; miniz keeps them whole", async () => {
    const bytes = load("torch_nul_in_name.pt");
    const source = new BufferSource("nul.pt", bytes);
    const zipfile = await readAsZipfile(source, bytes.length - 22, DEFAULT_LIMITS);
    const miniz = await readAsMiniz(source, bytes.length - 22, DEFAULT_LIMITS);
    if (!("reading" in miniz) || !("reading" in zipfile)) throw new Error("both loaders read this file");
    expect(zipfile.reading.entries.at(-1)?.name).toBe("archive/data.pkl");
    expect(miniz.reading.entries.at(-1)?.name).toBe("archive/data.pkl\u0000.bak");
  });

  it("miniz reads only the entries the end record counts; zipfile every entry within the size", async () => {
    const bytes = load("torch_count_cut_short.pt");
    const source = new BufferSource("count.pt", bytes);
    const miniz = await readAsMiniz(source, bytes.length - 22, DEFAULT_LIMITS);
    const zipfile = await readAsZipfile(source, bytes.length - 22, DEFAULT_LIMITS);
    if (!("reading" in miniz) || !("reading" in zipfile)) throw new Error("both loaders read this file");
    expect(zipfile.reading.entries.length).toBe(miniz.reading.entries.length + 1);
  });

  it("two zip64 extra fields: every reader takes the first, as miniz and zipfile do", async () => {
    const bytes = load("torch_two_zip64_extra_fields.pt");
    const source = new BufferSource("zip64.pt", bytes);
    const end = bytes.length - 22;
    const miniz = await readAsMiniz(source, end, DEFAULT_LIMITS);
    const zipfile = await readAsZipfile(source, end, DEFAULT_LIMITS);
    if (!("reading" in miniz) || !("reading" in zipfile)) throw new Error("both loaders read this file");
    const result = await parseWith(handlers, "zip64.pt", bytes);
    const pickle = entries(result.facts).find((fact) => fact.name === "archive/data.pkl");
    // The first field points past the listed members (the second at the first local header).
    for (const reading of [miniz.reading, zipfile.reading]) {
      const offset = reading.entries.find((entry) => entry.name === "archive/data.pkl")?.localOffset;
      expect(offset).toBe(pickle?.location?.offset);
      expect(offset).toBeGreaterThan(0);
    }
    expect(anomalies(result.facts).map((fact) => fact.message)).toContain(
      'central header 0 ("archive/data.pkl") has 2 zip64 extra fields; loaders take the first',
    );
    const pickles = result.children.filter((child) => child.chain[0] === "archive/data.pkl");
    expect(pickles.filter((child) => contains(child.bytes, payloadMarker)).length).toBeGreaterThan(0);
  });

  it("a stored member is scanned as miniz reads it: its size, not its compressed size", async () => {
    const bytes = load("torch_stored_size_past_compressed.pt");
    const result = await parseWith(handlers, "stored.pt", bytes);
    const pickle = entries(result.facts).find((fact) => fact.name === "archive/data.pkl");
    if (!pickle) throw new Error("archive/data.pkl is listed");
    expect(pickle.compressedSize).toBeLessThan(pickle.size);
    const child = result.children.find((candidate) => candidate.chain[0] === "archive/data.pkl");
    expect(child?.bytes.length).toBe(pickle.size);
    expect(contains(child?.bytes ?? new Uint8Array(0), payloadMarker)).toBe(true);
    expect(differentials(result.facts).map((fact) => fact.message)).toContain(
      `archive/data.pkl: stored member with compressed size ${pickle.compressedSize} and size ${pickle.size}: torch.load (miniz) reads ${pickle.size} bytes, zipfile ${pickle.compressedSize}`,
    );
  });

  it("a Unicode Path extra field names the member as extractors write it", async () => {
    const result = await parseWith(handlers, "unicode.zip", load("zip_unicode_path_rename.zip"));
    expect(entries(result.facts).map((fact) => fact.name)).toContain("model/data.pkl");
    expect(differentials(result.facts).map((fact) => fact.message)).toEqual([
      'member "docs/readme.txt" is extracted as "model/data.pkl" by unzip and 7-Zip (Unicode Path extra field)',
    ]);
  });

  it("miniz finds the end record behind trailing bytes exactly where torch 1.13 does", () => {
    const zip = load("benign_torch_save.pt");
    // Measured with torch._C.PyTorchFileReader on this file followed by n zero bytes.
    const measured: [number, boolean][] = [
      [0, true],
      [1000, true],
      [3000, true],
      [3300, true],
      [4000, true],
      [5000, false],
      [7000, false],
      [7500, true],
      [8000, true],
      [9000, false],
      [12000, true],
      [30000, false],
      [60000, false],
      [64500, true],
      [65000, true],
      [65200, true],
      [66000, false],
      [68000, false],
      [69000, true],
      [70000, false],
    ];
    for (const [padding, loads] of measured) {
      const bytes = new Uint8Array(zip.length + padding);
      bytes.set(zip);
      const found = minizEndRecord(bytes, 0, bytes.length);
      expect(found === null ? false : found === zip.length - 22, `${padding} bytes after the zip`).toBe(loads);
    }
  });

  it("miniz opens the same-named entry torch 1.13 opens (heap sort, case-insensitive binary search)", () => {
    const encode = (name: string) => new TextEncoder().encode(name);
    const [pickle, storage0, storage1, version] = [
      "archive/data.pkl",
      "archive/data/0",
      "archive/data/1",
      "archive/version",
    ];
    // Which entry torch.load read for archive/data.pkl, measured with torch._C.PyTorchFileReader.
    const measured: [string[], number][] = [
      [[pickle, storage0, storage1, version, "archive/DATA.PKL"], 0],
      [["archive/DATA.PKL", pickle, storage0, storage1, version], 1],
      [[pickle, "archive/DATA.PKL", storage0, storage1, version], 1],
      [[pickle, storage0, storage1, version, pickle], 0],
      [[pickle, pickle, storage0, storage1, version], 1],
    ] as [string[], number][];
    for (const [names, opened] of measured) {
      const bytes = names.map(encode);
      expect(minizLocate(bytes, minizSortedOrder(bytes), encode(pickle)), names.join(", ")).toBe(opened);
    }
  });

  it("an end record signature in the last 21 bytes: zipfile finds no archive, miniz the earlier record", () => {
    const bytes = load("benign_comment.zip");
    const withTail = bytes.slice();
    // The real end record's 18-byte comment now holds a signature 10 bytes before the end of the file.
    withTail.set([0x50, 0x4b, 0x05, 0x06], bytes.length - 10);
    expect(zipfileEndRecord(withTail, 0, withTail.length)).toBeNull();
    expect(minizEndRecord(withTail, 0, withTail.length)).toBe(bytes.length - 18 - 22);
  });
});

describe("a hidden local header of unknown length", () => {
  it("is searched for its descriptor within bounds, then reported and left inconclusive", async () => {
    const zip = load("benign_comment.zip");
    // A stored local header with a data descriptor flag and no sizes, then 8 MiB with no descriptor in it.
    const header = new Uint8Array(30 + 8);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(6, 0x0008, true);
    view.setUint16(26, 8, true);
    header.set(new TextEncoder().encode("data.pkl"), 30);
    const filler = new Uint8Array(8 * 1024 * 1024).fill(0x50);
    const endOffset = zip.length - 22 - 18;
    const centralOffset = new DataView(zip.buffer, zip.byteOffset).getUint32(endOffset + 16, true);
    // Insert the hidden member after the only member, before the central directory, and move the offset.
    const bytes = new Uint8Array(zip.length + header.length + filler.length);
    bytes.set(zip.subarray(0, centralOffset));
    bytes.set(header, centralOffset);
    bytes.set(filler, centralOffset + header.length);
    bytes.set(zip.subarray(centralOffset), centralOffset + header.length + filler.length);
    new DataView(bytes.buffer).setUint32(
      bytes.length - 22 - 18 + 16,
      centralOffset + header.length + filler.length,
      true,
    );
    const started = performance.now();
    const run = await runHandler(zipHandler, new BufferSource("hidden.zip", bytes));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.inconclusive.join("\n")).toMatch(/unknown length/);
    expect(
      differentials(run.facts)
        .map((fact) => fact.message)
        .join("\n"),
    ).toMatch(/whose length it cannot find/);
    expect(run.children.map((child) => child.name)).toEqual(["notes.txt"]);
  });
});

/** Patches a little-endian field of `width` bytes. */
function patch(bytes: Uint8Array, offset: number, width: 2 | 4 | 8, value: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (offset < 0 || offset + width > copy.length) return copy;
  if (width === 2) view.setUint16(offset, value & 0xffff, true);
  else if (width === 4) view.setUint32(offset, value >>> 0, true);
  else view.setBigUint64(offset, BigInt(Math.floor(value)), true);
  return copy;
}

function hostileValue(next: () => number, size: number): number {
  const choice = next();
  if (choice < 0.2) return 0;
  if (choice < 0.4) return 0xffffffff;
  if (choice < 0.6) return Math.floor(next() * size);
  if (choice < 0.8) return size + Math.floor(next() * 1000) - 500;
  return Math.floor(next() * 0x100000000);
}

describe("hostile offsets in end records, zip64 records and central headers", () => {
  const files = manifest.map((entry) => entry.file);
  it.each(files)(
    "%s: 40 seeded offset rewrites finish fast, throw nothing, read a bounded number of bytes",
    async (file) => {
      const original = load(file);
      const next = seededRandom(0xd1ff ^ original.length);
      const signatures: number[] = [];
      for (let offset = 0; offset + 4 <= original.length; offset++) {
        if (original[offset] !== 0x50 || original[offset + 1] !== 0x4b) continue;
        const kind = (original[offset + 2] as number) | ((original[offset + 3] as number) << 8);
        if (kind === 0x0605 || kind === 0x0606 || kind === 0x0706 || kind === 0x0201) signatures.push(offset);
      }
      expect(signatures.length).toBeGreaterThan(0);
      for (let round = 0; round < 40; round++) {
        let mutant = original;
        for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
          const at = signatures[Math.floor(next() * signatures.length)] as number;
          const kind = (original[at + 2] as number) | ((original[at + 3] as number) << 8);
          const value = hostileValue(next, original.length);
          // End record: count, size, offset, comment length; zip64: count, size, offset; locator: offset;
          // central header: sizes, name length, local offset.
          const fields: [number, 2 | 4 | 8][] =
            kind === 0x0605
              ? [
                  [10, 2],
                  [12, 4],
                  [16, 4],
                  [20, 2],
                ]
              : kind === 0x0606
                ? [
                    [32, 8],
                    [40, 8],
                    [48, 8],
                  ]
                : kind === 0x0706
                  ? [[8, 8]]
                  : [
                      [20, 4],
                      [24, 4],
                      [28, 2],
                      [42, 4],
                    ];
          const [field, width] = fields[Math.floor(next() * fields.length)] as [number, 2 | 4 | 8];
          mutant = patch(mutant, at + field, width, value);
        }
        const started = performance.now();
        const counting = new CountingSource(new BufferSource(file, mutant));
        await expect(runHandler(zipHandler, counting)).resolves.toBeDefined();
        // Each reading reads its tail, its directory and local headers: never more than a few times the file.
        expect(counting.bytesRead).toBeLessThanOrEqual(8 * mutant.length + 256 * 1024);
        await expect(parseWith(handlers, file, mutant)).resolves.toBeDefined();
        expect(performance.now() - started).toBeLessThan(10_000);
      }
    },
  );
});
