import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_LIMITS, type Fact, type ParseContext, type Source } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { readPickles } from "../src/pickle-reader.js";
import { SourceWindow, type WindowSizes } from "../src/source-window.js";
import { bytes, parse, SHARED_FIXTURES, tensors, u32 } from "./helpers.js";

// A large legacy torch.save file is read through a head that grows as its pickles need and its
// tail, never its storages. Tiny sizes make every fixture take that path: each must give the
// facts a whole read gives, and the bytes of its storages must never be read.
const TINY = { wholeRead: 0, firstHead: 16, arrayHeadKept: 16, unreadSlack: 16, sparseStep: 16, skipArraysFrom: 0 };
const DIFFERENTIAL = path.resolve(SHARED_FIXTURES, "../differential-torch");

const legacyFiles = [
  path.join(SHARED_FIXTURES, "torch_legacy_state_dict.pt"),
  path.join(SHARED_FIXTURES, "torch_legacy_malicious.pt"),
  path.join(SHARED_FIXTURES, "torch_legacy_wide_linear.pt"),
  ...[
    "benign_checkpoint_sgd_legacy.pt",
    "benign_state_dict_legacy.pt",
    "legacy_main_lead_none_pop.pt",
    "legacy_payload_in_keys_stream.pt",
    "legacy_payload_in_magic_frame_tail.pt",
    "legacy_payload_in_magic_stream.pt",
    "legacy_payload_in_sys_info.pt",
  ].map((name) => path.join(DIFFERENTIAL, name)),
];

/** A source over bytes that is not a BufferSource (so it is windowed) and records what was read. */
class RecordingSource implements Source {
  readonly reads: [start: number, end: number][] = [];
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.bytes.length, offset + length);
    this.reads.push([offset, end]);
    return this.bytes.slice(offset, end);
  }
}

async function windowedParse(
  name: string,
  data: Uint8Array,
  limit = DEFAULT_LIMITS.maxInMemoryBytes,
  sizes: WindowSizes = TINY,
) {
  const source = new RecordingSource(name, data);
  const result = { facts: [] as Fact[], formats: ["pickle"], inconclusive: [] as string[], children: [] as string[] };
  const context: ParseContext = {
    source,
    file: name,
    memberChain: [],
    limits: { ...DEFAULT_LIMITS, maxInMemoryBytes: limit },
    level: "standard",
    emit: (fact) => result.facts.push(fact),
    emitTensor: (fact) => result.facts.push(fact),
    addFormat: (format) => result.formats.push(format),
    scanChild: async (childName) => void result.children.push(childName),
    inconclusive: (reason) => result.inconclusive.push(reason),
    checkDeadline: () => undefined,
    chargeInflated: () => undefined,
  };
  await readPickles(context, await SourceWindow.open(source, limit, sizes));
  return { ...result, reads: source.reads };
}

function storageRanges(facts: readonly Fact[]): [number, number][] {
  return facts.flatMap((fact) =>
    fact.kind === "tensor" && fact.data !== undefined && fact.data.member === undefined
      ? [[fact.data.offset, fact.data.offset + fact.data.length] as [number, number]]
      : [],
  );
}

describe("legacy torch files read through a growing window", () => {
  it.each(legacyFiles.map((file) => [path.basename(file), file]))(
    "%s: the facts of a whole read, and no storage byte read",
    async (name, file) => {
      const data = new Uint8Array(readFileSync(file));
      const whole = await parse(data, name);
      const windowed = await windowedParse(name, data);
      expect(windowed.formats).toEqual(whole.formats);
      expect(windowed.facts).toEqual(whole.facts);
      expect(windowed.inconclusive).toEqual(whole.inconclusive);
      expect(windowed.children).toEqual(whole.children.map((child) => child.chain.join(" > ")));
      const storages = storageRanges(windowed.facts).filter(([start, end]) => end - start > 8);
      for (const [start, end] of storages) {
        // Reads touch a storage at most at its edges (the head's last doubling may run into the first one).
        const inside = windowed.reads.filter(([from, to]) => from >= start + 8 && to <= end);
        expect(inside).toEqual([]);
      }
    },
  );

  it("reads the pickles and the size records, nothing more", async () => {
    const data = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "torch_legacy_wide_linear.pt")));
    const windowed = await windowedParse("old.pt", data);
    const storages = storageRanges(windowed.facts);
    const pickles = Math.min(...storages.map(([start]) => start - 8));
    const read = windowed.reads.reduce((total, [start, end]) => total + end - start, 0);
    // The head doubles from 16 bytes, so it ends before twice the pickles' length.
    expect(read).toBeLessThanOrEqual(2 * pickles + 8 * storages.length);
    expect(read).toBeLessThan(data.length / 10);
  });

  it("parses a pickle appended after the storages, as a whole read does", async () => {
    const legacy = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "torch_legacy_state_dict.pt")));
    const payload = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "os_system_p1.pkl")));
    const data = bytes(legacy, payload);
    const whole = await parse(data, "old.pt");
    const windowed = await windowedParse("old.pt", data);
    expect(windowed.facts).toEqual(whole.facts);
    expect(windowed.facts).toContainEqual(expect.objectContaining({ kind: "import", module: "posix", name: "system" }));
    expect(tensors({ ...whole, facts: windowed.facts }).length).toBeGreaterThan(0);
  });

  it("stays inconclusive when a pickle runs past the in-memory limit", async () => {
    const data = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "torch_legacy_state_dict.pt")));
    const windowed = await windowedParse("old.pt", data, 64);
    expect(windowed.inconclusive.join()).toMatch(/in-memory limit/);
  });
});

// A joblib file keeps its arrays' bytes inline between opcodes. Read through a window, each array
// past the head is skipped (never read; the engine reads it as tensor data) and the head goes on
// after it: every joblib fixture must give the facts a whole read gives.
const JOBLIB_DIRECTORIES = [SHARED_FIXTURES, path.resolve(SHARED_FIXTURES, "../differential-joblib")];
const joblibFiles = JOBLIB_DIRECTORIES.flatMap((directory) =>
  readdirSync(directory)
    .filter((name) => name.endsWith(".joblib") || name.endsWith(".pkl"))
    .map((name) => path.join(directory, name)),
).filter((file) => readFileSync(file).includes("NumpyArrayWrapper"));

// A first head that holds the wrapper's import (so the head grows rather than being read whole) but
// not the arrays; 16-byte steps and kept array heads.
const JOBLIB_SIZES = {
  wholeRead: 0,
  firstHead: 128,
  arrayHeadKept: 16,
  unreadSlack: 16,
  sparseStep: 16,
  skipArraysFrom: 0,
};
const skipping = new Set<string>();

describe("joblib files read through a window that skips array data", () => {
  it("covers the joblib fixtures", () => {
    expect(joblibFiles.length).toBeGreaterThan(20);
  });

  it.each(joblibFiles.map((file) => [path.relative(path.resolve(SHARED_FIXTURES, ".."), file), file]))(
    "%s: the facts of a whole read",
    async (name, file) => {
      const data = new Uint8Array(readFileSync(file));
      const whole = await parse(data, name);
      const windowed = await windowedParse(name, data, undefined, JOBLIB_SIZES);
      expect(windowed.formats).toEqual(whole.formats);
      expect(windowed.facts).toEqual(whole.facts);
      expect(windowed.inconclusive).toEqual(whole.inconclusive);
      expect(windowed.children).toEqual(whole.children.map((child) => child.chain.join(" > ")));
      const read = windowed.reads.reduce((total, [start, end]) => total + end - start, 0);
      if (read < data.length) skipping.add(name);
    },
  );

  it("skipped array bytes in those whose arrays outgrow the kept heads", () => {
    expect(skipping.size).toBeGreaterThanOrEqual(3);
  });

  it("reads a skipped array's bytes where a plain pickle.load reading goes on into them", async () => {
    const name = "plain_reading_deep_in_array.joblib";
    const data = new Uint8Array(readFileSync(path.resolve(SHARED_FIXTURES, "../differential-joblib", name)));
    const windowed = await windowedParse(name, data, undefined, JOBLIB_SIZES);
    expect(windowed.facts).toContainEqual(expect.objectContaining({ kind: "import", module: "os", name: "system" }));
    // The 20,000 filler bytes the reading jumps over are never read.
    const read = windowed.reads.reduce((total, [start, end]) => total + end - start, 0);
    expect(read).toBeLessThan(data.length - 19_000);
  });

  it("keeps a large joblib array out of memory and the file in reach past the in-memory limit", async () => {
    // One 1 MiB float32 array: the window spans the file while only its pickle bytes are read.
    const array = new Uint8Array(1 << 20).fill(0x3f);
    const name = "plain_reading_deep_in_array.joblib";
    const fixture = new Uint8Array(readFileSync(path.resolve(SHARED_FIXTURES, "../differential-joblib", name)));
    const whole = await parse(fixture, name);
    const arrayData = tensors(whole)[0]?.data;
    if (arrayData === undefined) throw new Error("the fixture's array has no data range");
    const { offset, length } = arrayData;
    // The fixture's array, rewritten as 1 MiB of plain float bytes (its shape patched to match).
    const header = fixture.slice(0, offset);
    const shapeAt = Buffer.from(header).lastIndexOf(Buffer.from([0x4a, ...u32(length)]));
    expect(shapeAt).toBeGreaterThan(0);
    header.set(u32(array.length), shapeAt + 1);
    const data = bytes(header, array, fixture.subarray(offset + length));
    const windowed = await windowedParse(name, data, 64 * 1024, JOBLIB_SIZES);
    expect(windowed.inconclusive).toEqual([]);
    expect(tensors({ ...whole, facts: windowed.facts }).map((fact) => fact.data)).toEqual([
      { offset, length: array.length },
    ]);
    const read = windowed.reads.reduce((total, [start, end]) => total + end - start, 0);
    expect(read).toBeLessThan(64 * 1024);
  });
});
