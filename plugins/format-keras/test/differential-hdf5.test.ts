import { readFileSync } from "node:fs";
import { BufferSource, type SniffInput } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { checkSuperblock, locateSignatures, signatureOffsets } from "../src/hdf5-signature.js";
import { kerasH5Handler } from "../src/index.js";
import { ofKind, parse } from "./helpers.js";
import { zipMembers } from "./zip-members.js";

// tooling/fixtures/differential-hdf5: made by generate_differential_hdf5_fixtures.py, each entry with
// what the real readers (h5py/libhdf5, zipfile, torch.load) reach.
const DIRECTORY = new URL("../../../tooling/fixtures/differential-hdf5/", import.meta.url);

interface Entry {
  file: string;
  expect: string;
  reached: { loaders: string[]; ops?: string[]; globals?: string[]; paths?: string[] };
}

const manifest: Entry[] = JSON.parse(readFileSync(new URL("manifest.json", DIRECTORY), "utf8"));
const bytesOf = (file: string) => new Uint8Array(readFileSync(new URL(file, DIRECTORY)));

/** The .keras zips are read member by member, as the archive handler hands them over. */
async function parseFixture(file: string) {
  const bytes = bytesOf(file);
  if (!file.endsWith(".keras")) return parse(file, bytes);
  const members = zipMembers(bytes);
  return parse("config.json", members.get("config.json")!);
}

function sniffInput(name: string, bytes: Uint8Array): SniffInput {
  const dot = name.lastIndexOf(".");
  return {
    head: bytes.subarray(0, 64 * 1024),
    tail: bytes.subarray(Math.max(0, bytes.length - 64 * 1024)),
    size: bytes.length,
    name,
    extension: dot > 0 ? name.slice(dot) : "",
    parentFormats: [],
  };
}

/** The superblock offset libhdf5 used, as the generator recorded it from h5py. */
function recordedOffset(entry: Entry): number | undefined {
  const match = /superblock at byte (\d+)/.exec(entry.reached.loaders[0] ?? "");
  return match ? Number(match[1]) : undefined;
}

describe("where libhdf5 looks for the superblock", () => {
  it("probes 0 and the powers of two from 512 while they fit in the file, as H5FD_locate_signature does", () => {
    expect(signatureOffsets(100)).toEqual([0]);
    expect(signatureOffsets(520)).toEqual([0, 512]);
    expect(signatureOffsets(6656)).toEqual([0, 512, 1024, 2048, 4096]);
    expect(signatureOffsets(2 ** 40).length).toBe(32);
  });

  it.each(manifest.filter((entry) => recordedOffset(entry) !== undefined))(
    "$file: the first signature found is where h5py opened it",
    async (entry) => {
      const bytes = bytesOf(entry.file);
      const source = new BufferSource(entry.file, bytes);
      const offsets = await locateSignatures((offset, length) => source.read(offset, length), bytes.length);
      expect(offsets[0]).toBe(recordedOffset(entry));
      expect(checkSuperblock(bytes.subarray(offsets[0]!, offsets[0]! + 128), offsets[0]!, bytes.length).ok).toBe(true);
    },
  );

  it("the stored base address is overridden by the real offset, and the end of file shifted, as libhdf5 does", () => {
    const bytes = bytesOf("prepended_512_lambda_module_os_system.h5");
    const check = checkSuperblock(bytes.subarray(512, 640), 512, bytes.length);
    expect(check).toMatchObject({ ok: true, storedBase: 0n });
    // The same superblock claimed for one byte less is truncated.
    expect(checkSuperblock(bytes.subarray(512, 640), 512, bytes.length - 1)).toMatchObject({
      ok: false,
      code: "truncated",
    });
  });

  it("claims files whose superblock is past the 64 KiB sniff window by an HDF5 name; probes a zero head or HDF5 metadata in the tail", () => {
    const zeroHead = bytesOf("zero_userblock_65536_lambda_os_system.bin");
    const named = bytesOf("userblock_65536_lambda_module_os_system.h5");
    expect(kerasH5Handler.sniff(sniffInput("zero_userblock.bin", zeroHead))).toBe("probe");
    expect(kerasH5Handler.sniff(sniffInput("model.h5", named))).toBe(true);
    expect(kerasH5Handler.sniff(sniffInput("model.hdf5", named))).toBe(true);
    // Under any name: the HDF5 metadata structures in its last 64 KiB.
    expect(kerasH5Handler.sniff(sniffInput("model.bin", named))).toBe("probe");
    // Random bytes, text that names the structures, and a zip holding an HDF5 member are not claimed.
    const random = new Uint8Array(70 * 1024).map((_, index) => (index * 131 + 7) % 251 || 1);
    expect(kerasH5Handler.sniff(sniffInput("blob.bin", random))).toBe(false);
    const text = new TextEncoder().encode("TREE HEAP SNOD OHDR GCOL: HDF5 structure names. ".repeat(1500));
    expect(kerasH5Handler.sniff(sniffInput("notes.txt", text))).toBe(false);
    const zip = new Uint8Array(named.length + 22);
    zip.set(named.map((byte, index) => (index < 64 * 1024 ? 0x41 : byte)));
    zip.set([0x50, 0x4b, 0x05, 0x06], named.length);
    expect(kerasH5Handler.sniff(sniffInput("archive.bin", zip))).toBe(false);
    // A .keras zip is the archive handler's.
    expect(kerasH5Handler.sniff(sniffInput("model.keras", bytesOf("keras3_string_lookup_inline.keras")))).toBe(false);
  });
  it("a file named like HDF5 with no superblock anywhere is inconclusive, never clean", async () => {
    const random = new Uint8Array(70 * 1024).map((_, index) => (index * 131 + 7) % 251 || 1);
    for (const bytes of [random, new Uint8Array(70 * 1024)]) {
      const parsed = await parse("weights.h5", bytes);
      expect(parsed.formats).toEqual(["keras-h5"]);
      expect(parsed.inconclusive).toEqual([
        expect.stringMatching(/no HDF5 superblock is at any offset libhdf5 probes/),
      ]);
    }
  });

  it("zeros with no superblock anywhere are not HDF5 (libhdf5 does not open them): no label, nothing inconclusive", async () => {
    for (const size of [64 * 1024 + 1, 128 * 1024, 1024 * 1024]) {
      const parsed = await parse("1", new Uint8Array(size));
      expect(parsed.formats).toEqual([]);
      expect(parsed.inconclusive).toEqual([]);
    }
  });

  it.each(["lora_adapter_model.bin", "zero_pos_embed_state_dict.pt"])(
    "benign-realism/torch/%s: the storage of a zero tensor past 64 KiB is not HDF5",
    async (file) => {
      const checkpoint = new Uint8Array(
        readFileSync(new URL(`../../../tooling/fixtures/benign-realism/torch/${file}`, import.meta.url)),
      );
      const storages = [...zipMembers(checkpoint)].filter(([name]) => /\/data\/\d+$/.test(name));
      expect(storages.some(([, bytes]) => bytes.length > 64 * 1024 && bytes.every((byte) => byte === 0))).toBe(true);
      for (const [name, bytes] of storages) {
        const parsed = await parse(name, bytes);
        expect(parsed.formats, name).toEqual([]);
        expect(parsed.inconclusive, name).toEqual([]);
      }
    },
  );

  it("a probed file is labelled HDF5 once its superblock is found past a zero user block", async () => {
    const parsed = await parse(
      "zero_userblock_65536_lambda_os_system.bin",
      bytesOf("zero_userblock_65536_lambda_os_system.bin"),
    );
    expect(parsed.formats).toEqual(expect.arrayContaining(["keras-h5", "keras"]));
    expect(parsed.inconclusive).toEqual([]);
    expect(ofKind(parsed.facts, "code")[0]?.names).toEqual(expect.arrayContaining(["__import__", "system"]));
  });
});

describe("differential-hdf5 fixtures", () => {
  it.each(manifest)("$file: the handler reaches what the loader reached", async (entry) => {
    const parsed = await parseFixture(entry.file);
    // A file that stores an attribute twice is read as h5py reads it and says what it did not read.
    if (entry.file.startsWith("duplicate_attribute_")) {
      expect(parsed.inconclusive).toEqual([expect.stringMatching(/attribute model_config appears more than once/)]);
    } else {
      expect(parsed.inconclusive).toEqual([]);
    }
    const ops = new Set(ofKind(parsed.facts, "graph-node").map((node) => node.op));
    for (const op of entry.reached.ops ?? []) expect(ops, op).toContain(op);
    const targets = new Set(ofKind(parsed.facts, "reference").map((reference) => reference.target));
    expect([...targets].sort()).toEqual([...(entry.reached.paths ?? [])].sort());
    const imports = new Set(ofKind(parsed.facts, "import").map((fact) => `${fact.module}.${fact.name}`));
    // Globals torch.load reaches come from the embedded pickle, judged by the pickle handler.
    const torch = entry.reached.loaders.some((loader) => loader.startsWith("torch.load"));
    if (!torch) for (const global of entry.reached.globals ?? []) expect(imports, global).toContain(global);
  });

  it("a user block of 512 bytes no longer makes the file look truncated: the Lambda is decoded", async () => {
    const parsed = await parse("userblock_512_lambda_os_system.h5", bytesOf("userblock_512_lambda_os_system.h5"));
    expect(parsed.formats).toEqual(expect.arrayContaining(["keras-h5", "keras"]));
    expect(ofKind(parsed.facts, "code")[0]?.names).toEqual(expect.arrayContaining(["__import__", "system"]));
  });

  it("prepended bytes: the stored base address that libhdf5 overrides is an unusual-structure anomaly", async () => {
    const parsed = await parseFixture("prepended_512_lambda_module_os_system.h5");
    expect(ofKind(parsed.facts, "anomaly")).toEqual([
      expect.objectContaining({
        code: "unusual-structure",
        message: expect.stringMatching(/base address 0; libhdf5 uses 512/),
      }),
    ]);
  });

  it.each([
    ["two_superblocks_benign_first.h5", ["Sequential", "Dense"], ["Sequential", "Dense", "Lambda"]],
    ["two_superblocks_malicious_first.h5", ["Sequential", "Dense", "Lambda"], ["Sequential", "Dense"]],
  ])("%s: both readings are emitted, and the disagreement is a parser differential", async (file, first, second) => {
    const parsed = await parseFixture(file);
    const differential = ofKind(parsed.facts, "anomaly").filter((fact) => fact.code === "parser-differential");
    expect(differential).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^HDF5 superblocks at bytes 0, 8192: libhdf5 reads the one at 0/),
      }),
    ]);
    const nodes = ofKind(parsed.facts, "graph-node");
    const at = (prefix: boolean) =>
      nodes
        .filter((node) => node.location?.path?.startsWith("[HDF5 from byte 8192]") === prefix)
        .map((node) => node.op);
    expect(at(false)).toEqual(first);
    expect(at(true)).toEqual(second);
    expect(ofKind(parsed.facts, "import").map((fact) => `${fact.module}.${fact.name}`)).toEqual(["os.system"]);
  });
  it("cut short inside the second file: that reading is inconclusive; cut before it, the whole first file is what is left", async () => {
    const bytes = bytesOf("two_superblocks_benign_first.h5");
    const inSecond = await parse("cut.h5", bytes.subarray(0, 10_000));
    expect(inSecond.inconclusive).toEqual([
      expect.stringMatching(/^HDF5 superblock at byte 8192: .* only 10000 bytes exist/),
    ]);
    const beforeSecond = await parse("cut.h5", bytes.subarray(0, 8000));
    expect(beforeSecond.inconclusive).toEqual([]);
    expect(ofKind(beforeSecond.facts, "anomaly")).toEqual([]);
  });
});

describe("Keras layers that load other artifacts at load time", () => {
  it("a lookup vocabulary, a BPE merges file, a SentencePiece proto, a TFSMLayer and a hub handle are references", async () => {
    const references = async (file: string) =>
      ofKind((await parseFixture(file)).facts, "reference").map(({ target, referenceKind, key, location }) => ({
        target,
        referenceKind,
        key,
        path: location?.path,
      }));
    expect(await references("keras3_string_lookup_etc_passwd.keras")).toEqual([
      {
        target: "/etc/passwd",
        referenceKind: "path",
        key: "StringLookup.vocabulary",
        path: "$.config.layers[2].config.vocabulary",
      },
    ]);
    expect(await references("keras3_text_vectorization_gcs_url.keras")).toEqual([
      expect.objectContaining({
        target: "gs://modelaudit-fixture-bucket/vocab.txt",
        referenceKind: "url",
        key: "TextVectorization.vocabulary",
      }),
    ]);
    expect(await references("keras3_byte_pair_tokenizer_url_merges.keras")).toEqual([
      expect.objectContaining({ referenceKind: "url", key: "BytePairTokenizer.merges" }),
    ]);
    expect(await references("keras3_sentencepiece_proto_ssh_key.keras")).toEqual([
      expect.objectContaining({ target: "~/.ssh/id_rsa", key: "SentencePieceTokenizer.proto" }),
    ]);
    expect(await references("keras3_tfsm_layer_relative.keras")).toEqual([
      expect.objectContaining({ target: "exported/saved_model", referenceKind: "path", key: "TFSMLayer.filepath" }),
    ]);
    expect(await references("keras3_hub_keras_layer_url.keras")).toEqual([
      expect.objectContaining({ referenceKind: "url", key: "KerasLayer.handle" }),
    ]);
  });

  it("a Lambda on keras.models.load_model is an import, and the path it is called with a text fact", async () => {
    const parsed = await parseFixture("keras3_lambda_keras_load_model.keras");
    expect(ofKind(parsed.facts, "import").map((fact) => `${fact.module}.${fact.name}`)).toEqual([
      "keras.models.load_model",
    ]);
    expect(ofKind(parsed.facts, "text")).toContainEqual(
      expect.objectContaining({
        text: "/tmp/modelaudit-fixture/inner.keras",
        key: "$.config.layers[1].inbound_nodes[0].kwargs.inputs",
      }),
    );
  });

  it("inline vocabularies are not references", async () => {
    for (const file of ["keras3_string_lookup_inline.keras", "keras3_text_vectorization_inline.keras"]) {
      expect(ofKind((await parseFixture(file)).facts, "reference")).toEqual([]);
    }
  });

  it("TorchModuleWrapper's torch.save bytes are scanned as a child, not repeated as a config string", async () => {
    const parsed = await parseFixture("keras3_torch_module_wrapper_os_system.keras");
    expect(parsed.children.map((child) => child.chain)).toEqual([["$.config.layers[2].config.module"]]);
    // A torch zip: local file header first.
    expect([...parsed.children[0]!.bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(ofKind(parsed.facts, "text").some((text) => text.key === "$.config.layers[2].config.module")).toBe(false);
  });
});
