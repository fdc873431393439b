import { readFileSync } from "node:fs";
import path from "node:path";
import { BufferSource, type FormatHandler } from "@modelaudit/core";
import { type ParsedFacts, parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { anomalies, calls, handlers, imports, names, tensors } from "./helpers.js";

// Files made with the real libraries by tooling/fixtures/generate_pickle_readings_fixtures.py: pickles
// read one after another as torch.load and joblib.load read them.
const READINGS = path.resolve(import.meta.dirname, "../../../tooling/fixtures/pickle-readings");

function reading(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(READINGS, name)));
}

/** A ustar/pax reader just big enough to hand each member of a torch legacy tar to the pickle handler. */
const tarMembers: FormatHandler = {
  id: "tar",
  description: "test tar",
  sniff: (input) => input.extension === ".tar",
  async parse(context) {
    const data = await context.source.read(0, context.source.size);
    const text = (from: number, length: number) =>
      new TextDecoder().decode(data.subarray(from, from + length)).replace(/\0.*$/s, "");
    for (let offset = 0; offset + 512 <= data.length; ) {
      const name = text(offset, 100);
      if (name === "") break;
      const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
      const type = String.fromCharCode(data[offset + 156] ?? 0);
      const body = data.subarray(offset + 512, offset + 512 + size);
      if (type === "0" || type === "\0") await context.scanChild(name, new BufferSource(name, body));
      offset += 512 + Math.ceil(size / 512) * 512;
    }
  },
};

function parseTar(name: string): Promise<ParsedFacts> {
  return parseWith([tarMembers, ...handlers], name, reading(name));
}

function parseFile(name: string): Promise<ParsedFacts> {
  return parseWith(handlers, name, reading(name));
}

const differentials = (result: ParsedFacts) => anomalies(result).filter((fact) => fact.code === "parser-differential");

describe("torch's legacy tar checkpoint: every pickle of storages and tensors, as legacy_load reads them", () => {
  it("reads a benign tar (checked with torch.load) to the end of each member, declaring its storage", async () => {
    const result = await parseTar("legacy_tar_benign.tar");
    expect(result.inconclusive).toEqual([]);
    expect(anomalies(result)).toEqual([]);
    expect(result.formats).toContain("pytorch-legacy");
    expect(tensors(result).map((fact) => [fact.name, fact.dtype, fact.shape])).toEqual([["storage/0", "f32", [6]]]);
    expect(names(imports(result))).not.toContain("posix.system");
  });

  it("judges the storage_views pickle after a storage's raw bytes", async () => {
    const result = await parseTar("legacy_tar_views_payload.tar");
    expect(names(calls(result))).toContain("posix.system");
  });

  it("judges a tensor record after the previous record's raw ndim/size/stride/offset bytes", async () => {
    const result = await parseTar("legacy_tar_tensor_record_payload.tar");
    expect(names(calls(result))).toContain("posix.system");
    expect(result.inconclusive).toEqual([]);
  });

  it("reads the raw bytes after a record that stops inside a FRAME from the STOP and from the frame end", async () => {
    const result = await parseTar("legacy_tar_frame_end_payload.tar");
    expect(names(calls(result))).toContain("posix.system");
    expect(differentials(result)).toHaveLength(1);
  });

  it("calls a member that does not read to its end inconclusive, naming it", async () => {
    const data = reading("legacy_tar_benign.tar");
    // The storages member: count 1, record, size record; cut its size record to claim 2^40 elements.
    const storages = findMember(data, "storages");
    const copy = data.slice();
    // The record pickle's STOP, then the 8-byte element count 6.
    const at = storages.body.findIndex((_, index) =>
      [0x2e, 6, 0, 0, 0, 0, 0, 0, 0].every((byte, offset) => storages.body[index + offset] === byte),
    );
    expect(at).toBeGreaterThan(0);
    copy[storages.offset + at + 1 + 5] = 1;
    const result = await parseWith([tarMembers, ...handlers], "cut.tar", copy);
    expect(result.inconclusive.join("\n")).toMatch(/legacy torch tar member storages .*storage 0 needs/);
  });
});

describe("a pickle that stops inside a FRAME that runs on: the next stream from the STOP and from the frame end", () => {
  it.each(["legacy_frame_9k.pt", "legacy_frame_2k.pt"])("legacy torch.save %s", async (name) => {
    const result = await parseFile(name);
    expect(result.formats).toContain("pytorch-legacy");
    expect(names(calls(result))).toContain("posix.system");
    expect(differentials(result)[0]?.message).toMatch(/stream 3 stops at offset \d+ inside a FRAME/);
  });

  it("joblib object array: the outer pickle resumes at the nested frame's end too", async () => {
    const result = await parseFile("joblib_objframe_payload.joblib");
    expect(names(calls(result))).toContain("posix.system");
    expect(differentials(result)[0]?.message).toMatch(/joblib object array .* inside a FRAME/);
  });

  it("a real joblib object array has one reading", async () => {
    const result = await parseFile("joblib_object_array_benign.joblib");
    expect(differentials(result)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
  });
});

describe("dill helpers that only look up, import or apply are judged by what they reach", () => {
  it("_create_array(f, args, state) is the call of f and the BUILD of its result", async () => {
    const result = await parseFile("dill_array_dict.pkl");
    expect(names(imports(result))).not.toContain("dill._dill._create_array");
    expect(names(calls(result))).toContain("numpy.core.multiarray._reconstruct");
    const system = await parseFile("dill_create_array_system.pkl");
    expect(names(calls(system))).toContain("posix.system");
  });

  it("_load_type(name) is the import of that type", async () => {
    const result = await parseFile("dill_types.pkl");
    expect(names(imports(result))).toEqual(["builtins.int", "builtins.float", "builtins.NoneType"]);
    const code = await parseFile("dill_load_type_code.pkl");
    expect(names(imports(code))).toEqual(["types.CodeType"]);
  });

  it("_import_module(name) is the import of the module (an empty name) or of a name in it", async () => {
    const result = await parseFile("dill_module_numpy.pkl");
    expect(imports(result).map((fact) => [fact.module, fact.name])).toEqual([["numpy", ""]]);
    const system = await parseFile("dill_import_module_system.pkl");
    expect(names(imports(system))).toEqual(["os.system"]);
    expect(names(calls(system))).toContain("os.system");
  });

  it("keeps the code-building helpers and unresolved uses as themselves", async () => {
    const lambda = await parseFile("dill_lambda.pkl");
    expect(names(imports(lambda))).toEqual(
      expect.arrayContaining(["dill._dill._create_function", "dill._dill._create_code"]),
    );
    // _load_type with a name that is not a constant string stays an import of _load_type.
    const unresolved = new Uint8Array([
      0x80,
      0x04,
      ...shortUnicode("dill._dill"),
      ...shortUnicode("_load_type"),
      0x93,
      0x4b,
      0x01,
      0x85,
      0x52,
      0x2e,
    ]);
    const result = await parseWith(handlers, "x.pkl", unresolved);
    expect(names(imports(result))).toEqual(["dill._dill._load_type"]);
  });
});

function shortUnicode(text: string): number[] {
  return [0x8c, text.length, ...Array.from(text, (character) => character.charCodeAt(0))];
}

function findMember(data: Uint8Array, wanted: string): { offset: number; body: Uint8Array } {
  for (let offset = 0; offset + 512 <= data.length; ) {
    const name = new TextDecoder().decode(data.subarray(offset, offset + 100)).replace(/\0.*$/s, "");
    const size = Number.parseInt(
      new TextDecoder()
        .decode(data.subarray(offset + 124, offset + 136))
        .replace(/\0.*$/s, "")
        .trim() || "0",
      8,
    );
    if (name === wanted && data[offset + 156] === 0x30) {
      return { offset: offset + 512, body: data.subarray(offset + 512, offset + 512 + size) };
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no member ${wanted}`);
}

describe("dill's _eval_repr", () => {
  it("reads the reprs dill writes through it (Ellipsis, NotImplemented, a range) as builtins, anything else as eval", async () => {
    const singletons = await parseFile("dill_singletons.pkl");
    expect(names(imports(singletons))).toEqual(
      expect.arrayContaining(["builtins.Ellipsis", "builtins.NotImplemented", "builtins.range"]),
    );
    expect(names(imports(singletons))).not.toContain("dill._dill._eval_repr");
    const code = await parseFile("dill_eval_repr_code.pkl");
    expect(names(imports(code))).toContain("dill._dill._eval_repr");
  });
});
