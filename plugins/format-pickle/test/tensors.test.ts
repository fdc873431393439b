import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import type { Fact, FormatHandler, TensorFact } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { binUnicode, bytes, fixture, SHARED_FIXTURES, tensors, u32 } from "./helpers.js";

/** Real files from tooling/fixtures/generate_tensor_pickle_fixtures.py, each with its expected tensors. */
const TENSOR_FIXTURES = path.resolve(import.meta.dirname, "../../../tooling/fixtures/tensors-pickle");

interface ExpectedTensor {
  name: string;
  dtype: string;
  formatDtype: string;
  shape: number[];
  byteLength: number;
  sha256: string;
  aliases?: string[];
}

/** Pickle and archive handlers together, as the engine runs them on a torch zip or an .npz. */
function traced(): { handlers: FormatHandler[]; origins: Map<Fact, readonly string[]> } {
  const origins = new Map<Fact, readonly string[]>();
  const handlers = [...archive.formats, ...plugin.formats].map(
    (handler): FormatHandler => ({
      ...handler,
      parse: (context) =>
        handler.parse({
          ...context,
          emit: (fact) => {
            origins.set(fact, context.memberChain);
            context.emit(fact);
          },
        }),
    }),
  );
  return { handlers, origins };
}

/**
 * The bytes a fact declares: a range of the source that emitted it, or of a sibling member of that
 * source's container (`data.member`), found among the children parseWith returns.
 */
function declaredBytes(file: Uint8Array, result: ParsedFacts, chain: readonly string[], fact: TensorFact): Uint8Array {
  const data = fact.data;
  if (!data) throw new Error(`${fact.name} declares no data`);
  const target = data.member === undefined ? chain : [...chain.slice(0, -1), data.member];
  const source =
    target.length === 0 ? file : result.children.find((child) => child.chain.join("\0") === target.join("\0"))?.bytes;
  if (!source) throw new Error(`${fact.name}: no member ${target.join(" > ")}`);
  expect(data.offset + data.length).toBeLessThanOrEqual(source.length);
  return source.subarray(data.offset, data.offset + data.length);
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

const EXPECTED = readdirSync(TENSOR_FIXTURES)
  .filter((name) => name.endsWith(".expected.json"))
  .map((name) => name.slice(0, -".expected.json".length))
  .sort();

describe("tensor facts of real pickle-family files", () => {
  it("has every fixture", () => {
    expect(EXPECTED).toEqual(
      expect.arrayContaining([
        "torch-zip.pt",
        "torch-legacy.pt",
        "torchscript.pt",
        "torchscript-traced.pt",
        "f32.npy",
        "be-f8.npy",
        "i8.npy",
        "arrays.npz",
        "sklearn.joblib",
      ]),
    );
  });

  it.each(EXPECTED)("%s declares the loader's tensors over exactly their bytes", async (name) => {
    const file = new Uint8Array(readFileSync(path.join(TENSOR_FIXTURES, name)));
    const expected = JSON.parse(readFileSync(path.join(TENSOR_FIXTURES, `${name}.expected.json`), "utf8"))
      .tensors as ExpectedTensor[];
    const { handlers, origins } = traced();
    const result = await parseWith(handlers, name, file);
    expect(result.inconclusive).toEqual([]);
    const facts = tensors(result);
    expect(facts.map((fact) => fact.name).sort()).toEqual(expected.map((tensor) => tensor.name).sort());
    for (const tensor of expected) {
      const fact = facts.find((candidate) => candidate.name === tensor.name) as TensorFact;
      expect(fact, tensor.name).toMatchObject({
        dtype: tensor.dtype,
        formatDtype: tensor.formatDtype,
        shape: tensor.shape,
        byteOrder: tensor.formatDtype.startsWith(">") ? "big" : "little",
        data: { length: tensor.byteLength },
      });
      expect(fact.aliases ?? [], tensor.name).toEqual(tensor.aliases ?? []);
      const data = declaredBytes(file, result, origins.get(fact) ?? [], fact);
      expect(sha256(data), tensor.name).toBe(tensor.sha256);
    }
  });

  it("keeps a legacy torch file's storages in place, a zip checkpoint's in its data/ members", async () => {
    const legacy = await parseWith(traced().handlers, "legacy.pt", readFixture("torch-legacy.pt"));
    expect(tensors(legacy).every((fact) => fact.data?.member === undefined)).toBe(true);
    const zip = await parseWith(traced().handlers, "zip.pt", readFixture("torch-zip.pt"));
    const members = tensors(zip).map((fact) => fact.data?.member);
    expect(members).toHaveLength(10);
    for (const member of members) expect(member).toMatch(/^archive\/data\/\d$/);
  });

  it("reads a lite-interpreter bytecode.pkl's storages from the constants/ members, as _load_for_lite_interpreter does", async () => {
    const file = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "../policy/mobile_optimized.ptl")));
    const { handlers, origins } = traced();
    const result = await parseWith(handlers, "model.ptl", file);
    expect(result.inconclusive).toEqual([]);
    const bytecode = tensors(result).filter((fact) => origins.get(fact)?.at(-1) === "model/bytecode.pkl");
    expect(bytecode.length).toBeGreaterThan(0);
    for (const fact of bytecode) {
      expect(fact.data?.member).toMatch(/^model\/constants\/\d+\.storage$/);
      declaredBytes(file, result, origins.get(fact) ?? [], fact);
    }
  });

  it("names a whole pickled nn.Module's tensors as its state_dict() does", async () => {
    const file = new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, "torch_zip_whole_model.pt")));
    const result = await parseWith(traced().handlers, "model.pt", file);
    expect(tensors(result).map((fact) => [fact.name, fact.shape])).toEqual([
      ["0.weight", [3, 4]],
      ["0.bias", [3]],
      ["2.weight", [2, 3]],
      ["2.bias", [2]],
    ]);
  });

  it("names joblib arrays by the dict key they are stored under", async () => {
    const result = await parseWith(plugin.formats, "arrays.joblib", fixture("joblib-arrays-p4.joblib"));
    expect(
      tensors(result)
        .map((fact) => fact.name)
        .sort(),
    ).toEqual(["bools", "bytes", "empty", "f8", "fortran", "i2", "scalar", "structured", "unicode"]);
  });
});

describe("torch storages the state dict does not explain", () => {
  // ('storage', torch.<cls>, key, 'cpu', numel) as a BINPERSID.
  const pid = (cls: string, key: string, numel: number) =>
    bytes("(", binUnicode("storage"), `ctorch\n${cls}\n`, binUnicode(key), binUnicode("cpu"), "K", numel, "tQ");
  // A view of 2 elements at offset 2: it does not cover its 6-element storage.
  const view = bytes(
    "ctorch._utils\n_rebuild_tensor_v2\n(",
    pid("FloatStorage", "0", 6),
    "K",
    2,
    "(K",
    2,
    "t(K",
    1,
    "t",
    0x89,
    "ccollections\nOrderedDict\n)Rt",
    "R",
  );
  const pickle = bytes(
    0x80,
    2,
    "}(",
    binUnicode("view"),
    view,
    binUnicode("raw"),
    pid("FloatStorage", "1", 3),
    binUnicode("odd"),
    pid("WeirdStorage", "2", 3),
    "u.",
  );
  const checkpoint = storedZip([
    ["archive/data.pkl", pickle],
    ["archive/data/0", new Uint8Array(24)],
    ["archive/data/1", new Uint8Array(12)],
    ["archive/data/2", new Uint8Array(3)],
  ]);

  it("declares every referenced storage, flat when no tensor covers it, and no data for an unknown type", async () => {
    const result = await parseWith([...archive.formats, ...plugin.formats], "model.pt", checkpoint);
    const facts = tensors(result).map(({ name, dtype, formatDtype, shape, data }) => ({
      name,
      dtype,
      formatDtype,
      shape,
      data,
    }));
    expect(facts).toEqual([
      {
        name: "view",
        dtype: "f32",
        formatDtype: "FloatStorage",
        shape: [6],
        data: { member: "archive/data/0", offset: 0, length: 24 },
      },
      {
        name: "storage/1",
        dtype: "f32",
        formatDtype: "FloatStorage",
        shape: [3],
        data: { member: "archive/data/1", offset: 0, length: 12 },
      },
      { name: "storage/2", dtype: "opaque", formatDtype: "WeirdStorage", shape: [3], data: undefined },
    ]);
    expect(result.inconclusive).toEqual([expect.stringMatching(/storage\/2.*unknown storage type WeirdStorage/)]);
  });

  it("declares nothing for a storage persistent id in a pickle outside a container", async () => {
    const result = await parseWith(plugin.formats, "data.pkl", pickle);
    expect(tensors(result)).toEqual([]);
  });
});

function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(TENSOR_FIXTURES, name)));
}

/** A zip of stored (uncompressed) members. */
function storedZip(members: [string, Uint8Array][]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const crc = crc32(data);
    const fields = (signature: number) => [
      ...u32(signature),
      ...(signature === 0x02014b50 ? [20, 0] : []),
      20,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...u32(crc),
      ...u32(data.length),
      ...u32(data.length),
      name.length,
      0,
      0,
      0,
    ];
    const local = bytes(fields(0x04034b50), name, data);
    // Comment length, disk, internal and external attributes, then the local header's offset.
    centrals.push(bytes(fields(0x02014b50), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, u32(offset), name));
    locals.push(local);
    offset += local.length;
  }
  const directory = bytes(...centrals);
  const count = [members.length, 0];
  const end = bytes(u32(0x06054b50), 0, 0, 0, 0, count, count, u32(directory.length), u32(offset), 0, 0);
  return bytes(...locals, directory, end);
}
