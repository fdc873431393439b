import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  BufferSource,
  DEFAULT_LIMITS,
  type Fact,
  type FormatHandler,
  type ParseContext,
  type Source,
  type TensorFact,
} from "@modelaudit/core";
import { parseWith, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fletcher32, unshuffle } from "../src/hdf5-filters.js";
import { Hdf5FormatError } from "../src/hdf5-object-header.js";
import { readHdf5 } from "../src/hdf5-reader.js";
import { declareTensors } from "../src/hdf5-tensors.js";
import plugin from "../src/index.js";
import { ofKind } from "./helpers.js";
import { zipMembers } from "./zip-members.js";

/**
 * Every dataset of the tensor fixtures (tooling/fixtures/generate_tensor_hdf5_fixtures.py) read
 * through the handler's declared data, byte for byte against what h5py (libhdf5) read.
 */

const FIXTURES = new URL("../../../tooling/fixtures/tensors-hdf5/", import.meta.url);

interface Expected {
  datasets: Record<string, { dtype: string; shape: number[]; byteLength: number; sha256: string }>;
  inconclusive: string[];
}

const zipHandler: FormatHandler = {
  id: "zip",
  description: "test-only zip reader",
  sniff: (input) => input.head[0] === 0x50 && input.head[1] === 0x4b,
  async parse(context) {
    const bytes = await context.source.read(0, context.source.size);
    for (const [name, data] of zipMembers(bytes)) await context.scanChild(name, new BufferSource(name, data));
  },
};

function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, FIXTURES)));
}

function expected(file: string): Expected {
  return JSON.parse(readFileSync(new URL(`${file}.expected.json`, FIXTURES), "utf8"));
}

function parse(file: string, bytes = fixture(file)) {
  return parseWith([zipHandler, ...plugin.formats], file, bytes);
}

type Parsed = Awaited<ReturnType<typeof parse>>;

/** The bytes the engine would read for each tensor: a range of the (innermost) source, or its own source. */
async function tensorBytes(parsed: Parsed, bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  // A nested model.weights.h5: ranges are inside the member, which is the last child scanned.
  const member = parsed.children.find((child) => child.chain.at(-1)?.endsWith(".h5"))?.bytes ?? bytes;
  for (const fact of ofKind(parsed.facts, "tensor")) {
    if (fact.data) out.set(fact.name, member.subarray(fact.data.offset, fact.data.offset + fact.data.length));
  }
  for (const { fact, source } of parsed.tensorSources) {
    // Read in odd-sized pieces, as the engine may, to cross chunk and element boundaries.
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < source.size; offset += 77) parts.push(await source.read(offset, 77));
    out.set(fact.name, Buffer.concat(parts));
  }
  return out;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("HDF5 datasets are tensors with their element bytes", () => {
  for (const file of [
    "keras2_tensor_layouts.h5",
    "keras2_user_block_512.h5",
    "keras2_libver_latest.h5",
    "keras3_tensor_layouts.keras",
  ]) {
    it(`${file}: every dataset's bytes are what libhdf5 reads`, async () => {
      const bytes = fixture(file);
      const want = expected(file);
      const parsed = await parse(file, bytes);
      expect(parsed.inconclusive).toEqual(
        want.inconclusive.map((name) => expect.stringContaining(`HDF5 dataset ${name}:`)),
      );
      const read = await tensorBytes(parsed, bytes);
      const facts = new Map(ofKind(parsed.facts, "tensor").map((fact) => [fact.name, fact]));
      for (const [name, dataset] of Object.entries(want.datasets)) {
        const fact = facts.get(name);
        expect(fact, name).toBeDefined();
        if (want.inconclusive.includes(name)) {
          expect(read.has(name), name).toBe(false);
          continue;
        }
        expect({ name, dtype: fact?.dtype, shape: fact?.shape }).toEqual({
          name,
          dtype: dataset.dtype,
          shape: dataset.shape,
        });
        const data = read.get(name);
        expect(data?.length, name).toBe(dataset.byteLength);
        expect(sha256(data!), name).toBe(dataset.sha256);
      }
      // Nothing declared twice, nothing undeclared.
      expect([...facts.keys()].sort()).toEqual(Object.keys(want.datasets).sort());
    });
  }

  it("spells the element types as HDF5 does and keeps the file's byte order", async () => {
    const parsed = await parse("keras2_tensor_layouts.h5");
    const facts = Object.fromEntries(ofKind(parsed.facts, "tensor").map((fact) => [fact.name, fact]));
    const pick = (fact: TensorFact | undefined) => [fact?.dtype, fact?.formatDtype, fact?.byteOrder];
    expect(pick(facts["model_weights/dense/dense/kernel:0"])).toEqual(["f32", "H5T_IEEE_F32LE", "little"]);
    expect(pick(facts["model_weights/dense_be/dense_be/kernel:0"])).toEqual(["f64", "H5T_IEEE_F64BE", "big"]);
    expect(pick(facts["model_weights/quant/quant/kernel:0"])).toEqual(["i8", "H5T_STD_I8LE", "little"]);
    expect(pick(facts["model_weights/quant/quant/mask:0"])).toEqual([
      "bool",
      "H5T_ENUM(H5T_STD_I8LE){FALSE,TRUE}",
      "little",
    ]);
    expect(pick(facts["model_weights/edge/edge/bias:0"])).toEqual(["i32", "H5T_STD_I32BE", "big"]);
    expect(pick(facts["model_weights/fletcher/fletcher/kernel:0"])).toEqual(["f16", "H5T_IEEE_F16LE", "little"]);
    // Contiguous and compact data are ranges of the file; chunked data is decoded by the handler.
    expect(facts["model_weights/dense/dense/kernel:0"]?.data).toEqual({ offset: expect.any(Number), length: 1536 });
    expect(facts["model_weights/compact/compact/kernel:0"]?.data).toEqual({ offset: expect.any(Number), length: 48 });
    expect(facts["model_weights/gzip/gzip/kernel:0"]?.data).toBeUndefined();
    expect(parsed.tensorSources.map(({ fact }) => fact.name)).toContain("model_weights/gzip/gzip/kernel:0");
    // Storage never allocated reads as the fill value, through a source of its own.
    expect(facts["model_weights/filled/filled/bias:0"]?.data).toBeUndefined();
    expect(parsed.tensorSources.map(({ fact }) => fact.name)).toContain("model_weights/filled/filled/bias:0");
  });

  it("a dataset under two paths (a hard link) is one tensor, the other path an alias", async () => {
    const parsed = await parse("keras2_tensor_layouts.h5");
    const kernels = ofKind(parsed.facts, "tensor").filter((fact) => fact.name.endsWith("/kernel:0"));
    expect(kernels.find((fact) => fact.name === "model_weights/dense/dense/kernel:0")?.aliases).toEqual([
      "model_weights/tied/tied/kernel:0",
    ]);
    expect(kernels.map((fact) => fact.name)).not.toContain("model_weights/tied/tied/kernel:0");
  });

  it("a user block shifts every address by the superblock's offset", async () => {
    const parsed = await parse("keras2_user_block_512.h5");
    const kernel = ofKind(parsed.facts, "tensor").find((fact) => fact.name === "model_weights/dense/dense/kernel:0");
    expect(kernel?.data?.offset).toBeGreaterThan(512);
  });
});

/** The v1 B-tree node of the first chunked dataset's index ("TREE", node type 1, level 0). */
function chunkNode(bytes: Uint8Array, from = 0): number {
  for (let at = from; at < bytes.length - 6; at++) {
    if (bytes[at] === 0x54 && bytes[at + 1] === 0x52 && bytes[at + 2] === 0x45 && bytes[at + 3] === 0x45) {
      if (bytes[at + 4] === 1 && bytes[at + 5] === 0) return at;
    }
  }
  throw new Error("no chunk B-tree node");
}

describe("hostile chunk indexes and chunks are bounded, never trusted", () => {
  // keras2_user_block_512.h5 holds one chunked dataset (bias:0, two 2-element gzip chunks); addresses are 8 bytes.
  const file = "keras2_user_block_512.h5";
  const bias = "model_weights/dense/dense/bias:0";
  const rank = 1;
  const keySize = 8 + 8 * (rank + 1);
  const firstChild = (node: number) => node + 8 + 16 + keySize;

  it("a chunk address past the end of the file is inconclusive, naming the dataset", async () => {
    const bytes = fixture(file).slice();
    const node = chunkNode(bytes);
    new DataView(bytes.buffer).setBigUint64(firstChild(node), BigInt(bytes.length), true);
    const parsed = await parse(file, bytes);
    expect(parsed.inconclusive).toEqual([
      expect.stringMatching(/^HDF5 dataset model_weights\/dense\/dense\/bias:0: .*past the end/),
    ]);
    expect(parsed.tensorSources.map(({ fact }) => fact.name)).not.toContain(bias);
    expect(ofKind(parsed.facts, "tensor").find((fact) => fact.name === bias)).toMatchObject({ dtype: "opaque" });
    expect(ofKind(parsed.facts, "anomaly")).toContainEqual(
      expect.objectContaining({ code: "truncated", location: { path: bias } }),
    );
  });

  it("a B-tree whose child is itself is a loop: inconclusive, not a hang", async () => {
    const bytes = fixture(file).slice();
    const node = chunkNode(bytes);
    bytes[node + 5] = 1; // level 1: children are nodes
    bytes[node + 6] = 1; // one child: the node itself
    new DataView(bytes.buffer).setBigUint64(firstChild(node), BigInt(node - 512), true);
    const parsed = await parse(file, bytes);
    expect(parsed.inconclusive).toEqual([
      expect.stringMatching(/^HDF5 dataset model_weights\/dense\/dense\/bias:0: .*reached twice \(a loop\)/),
    ]);
    expect(ofKind(parsed.facts, "anomaly")).toContainEqual(expect.objectContaining({ code: "malformed" }));
  });

  it("a chunk that inflates past the chunk size fails the read at the bound", async () => {
    const parsed = await parse("keras2_chunk_inflates_past_size.h5");
    expect(parsed.inconclusive).toEqual([]);
    const [entry] = parsed.tensorSources;
    expect(entry?.fact.name).toBe("model_weights/dense/dense/kernel:0");
    await expect(entry!.source.read(0, 64)).rejects.toThrow(/inflates past 68 bytes/);
  });

  it("a fixed-array chunk index (libver latest) is inconclusive, naming the dataset and the index", async () => {
    const parsed = await parse("keras2_libver_latest.h5");
    expect(parsed.inconclusive).toEqual([
      expect.stringContaining(
        "model_weights/array/array/kernel:0: its data could not be located: its chunks are indexed by a fixed array",
      ),
    ]);
  });
});

describe("filters", () => {
  it("unshuffle puts each element's bytes back together and leaves a tail as is", () => {
    const shuffled = Uint8Array.from([1, 3, 5, 2, 4, 6, 9]);
    expect([...unshuffle(shuffled, 2)]).toEqual([1, 2, 3, 4, 5, 6, 9]);
  });

  it("fletcher32 reads 16-bit words big-endian, as H5_checksum_fletcher32 does", () => {
    // The textbook Fletcher-32 of "abcde" (little-endian words) is f04fc729; HDF5 assembles each word
    // high byte first, and an odd last byte is a high byte. The fixtures' fletcher32 chunks, written
    // by libhdf5, are verified with this function on every read.
    expect(fletcher32(new TextEncoder().encode("abcde")).toString(16)).toBe("4ff029c7");
  });

  it("a fletcher32 chunk whose bytes changed fails its checksum, as libhdf5 refuses it", async () => {
    const bytes = fixture("keras2_tensor_layouts.h5").slice();
    const parsed = await parse("keras2_tensor_layouts.h5", bytes);
    const entry = parsed.tensorSources.find(({ fact }) => fact.name === "model_weights/fletcher/fletcher/kernel:0");
    const clean = await entry!.source.read(0, 200);
    // Flip the first stored element's byte in the file: find it by its value (unfiltered f16 data).
    const at = Buffer.from(bytes).indexOf(Buffer.from(clean.subarray(0, 20)));
    expect(at).toBeGreaterThan(0);
    bytes[at] = bytes[at]! ^ 0xff;
    const changed = await parse("keras2_tensor_layouts.h5", bytes);
    const source = changed.tensorSources.find(({ fact }) => fact.name === "model_weights/fletcher/fletcher/kernel:0");
    await expect(source!.source.read(0, 200)).rejects.toThrow(/fletcher32 checksum does not match/);
  });
});

describe("damaged dataset headers, chunk indexes and chunks never throw anything but Hdf5FormatError", () => {
  // libhdf5 reads the structure once, from the clean file; the TypeScript reader then meets damaged
  // bytes at the same addresses, as it would if libhdf5 had not looked at them (chunk indexes and
  // chunks it never reads while walking).
  it("keras2_tensor_layouts.h5: 150 seeded bit flips, absurd fields and truncations", async () => {
    const file = "keras2_tensor_layouts.h5";
    const original = fixture(file);
    const result = await readHdf5(new URL(file, FIXTURES).pathname, () => undefined);
    if (!result.ok) throw new Error(result.reason);
    const next = seededRandom(4242);
    let refused = 0;
    for (let seed = 0; seed < 150; seed++) {
      const bytes = original.slice(0, next() < 0.1 ? Math.floor(next() * original.length) : original.length);
      for (let flips = 1 + Math.floor(next() * 6); flips > 0; flips--) {
        const at = Math.floor(next() * bytes.length);
        bytes[at] = next() < 0.5 ? bytes[at]! ^ (1 << Math.floor(next() * 8)) : [0xff, 0x7f, 0x00, 0x80][seed % 4]!;
      }
      const facts: Fact[] = [];
      const sources: Source[] = [];
      const inconclusive: string[] = [];
      const context = {
        source: new BufferSource(file, bytes),
        limits: DEFAULT_LIMITS,
        emit: (fact: Fact) => facts.push(fact),
        emitTensor: (fact: Fact, source: Source) => {
          facts.push(fact);
          sources.push(source);
        },
        inconclusive: (reason: string) => inconclusive.push(reason),
        checkDeadline: () => undefined,
        chargeInflated: () => undefined,
      } as unknown as ParseContext;
      const geometry = { source: context.source, base: 0, offsetSize: 8, lengthSize: 8 };
      await declareTensors(context, geometry, result.contents.datasets, "");
      for (const source of sources) {
        try {
          await source.read(0, Math.min(source.size, 1 << 20));
        } catch (error) {
          expect(error).toBeInstanceOf(Hdf5FormatError);
          refused++;
        }
      }
      refused += inconclusive.length;
      // Every dataset is declared exactly once whatever happened to its bytes.
      expect(facts.filter((fact) => fact.kind === "tensor").length).toBe(Object.keys(expected(file).datasets).length);
    }
    expect(refused).toBeGreaterThan(0);
  });
});
