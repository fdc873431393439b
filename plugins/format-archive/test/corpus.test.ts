import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { anomalies, corpus, entries, handlers, hasCorpus } from "./helpers.js";

const PICKLE_EVAL = new TextEncoder().encode("builtins");

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let index = 0; index + needle.length <= haystack.length; index++) {
    for (let offset = 0; offset < needle.length; offset++)
      if (haystack[index + offset] !== needle[offset]) continue outer;
    return true;
  }
  return false;
}

describe.skipIf(!hasCorpus)("picklescan corpus archives", () => {
  it.each([
    ["data/malicious1.zip", "data.pkl"],
    ["data/malicious1_wrong_ext.zip", "data.txt"],
    ["data2/malicious1_crc.zip", "data.pkl"],
  ])("%s: the member is found and handed over byte for byte", async (file, member) => {
    const result = await parseWith(handlers, file, corpus(file));
    expect(result.formats).toContain("zip");
    expect(entries(result.facts).map((fact) => fact.name)).toEqual([member]);
    expect(result.children).toHaveLength(1);
    expect(result.children[0]?.chain).toEqual([member]);
    expect(result.children[0]?.bytes[0]).toBe(0x80); // pickle PROTO
    expect(containsBytes(result.children[0]?.bytes ?? new Uint8Array(), PICKLE_EVAL)).toBe(true);
    expect(result.inconclusive).toEqual([]);
  });

  it("malicious1_central_directory.zip: central name wins, the local name is reported", async () => {
    const result = await parseWith(handlers, "x.zip", corpus("data/malicious1_central_directory.zip"));
    const [entry] = entries(result.facts);
    expect(entry?.name).toBe("data.pkl");
    expect(entry?.localName).toBe("datap.kl");
    expect(anomalies(result.facts).some((fact) => fact.code === "header-mismatch")).toBe(true);
    expect(result.children.map((child) => child.chain.join("/"))).toEqual(["data.pkl"]);
    expect(containsBytes(result.children[0]?.bytes ?? new Uint8Array(), PICKLE_EVAL)).toBe(true);
  });

  it.each(["malicious1_0x1.zip", "malicious1_0x20.zip", "malicious1_0x40.zip"])(
    "%s: odd flag bits on plain data are read like PyTorch does",
    async (file) => {
      const result = await parseWith(handlers, file, corpus(`data/${file}`));
      const [entry] = entries(result.facts);
      expect(entry?.name).toBe("model/config.pkl");
      expect(entry?.encrypted).toBe(false);
      expect(result.children).toHaveLength(1);
      expect(containsBytes(result.children[0]?.bytes ?? new Uint8Array(), PICKLE_EVAL)).toBe(true);
      expect(result.inconclusive).toEqual([]);
      if (file === "malicious1_0x1.zip") {
        expect(anomalies(result.facts).some((fact) => /encryption flag/.test(fact.message))).toBe(true);
      }
    },
  );

  it("benign_password_protected.zip is inconclusive, never scanned as plain bytes", async () => {
    const result = await parseWith(handlers, "p.zip", corpus("data/benign_password_protected.zip"));
    const [entry] = entries(result.facts);
    expect(entry).toMatchObject({ name: "test.txt", encrypted: true });
    expect(result.children).toHaveLength(0);
    expect(result.inconclusive.join("\n")).toMatch(/test\.txt is encrypted/);
  });

  it("new_pytorch_model.bin: every member, labelled pytorch-zip", async () => {
    const result = await parseWith(handlers, "new_pytorch_model.bin", corpus("data/new_pytorch_model.bin"));
    expect(entries(result.facts).map((fact) => fact.name)).toEqual([
      "archive/data.pkl",
      "archive/data/0",
      "archive/version",
    ]);
    expect(result.formats).toContain("pytorch-zip");
    const sizes = Object.fromEntries(result.children.map((child) => [child.chain.join("/"), child.bytes.length]));
    expect(sizes).toEqual({ "archive/data.pkl": 154, "archive/data/0": 48, "archive/version": 2 });
    expect(result.inconclusive).toEqual([]);
  });

  it.each(["int_arrays.npz", "int_arrays_compressed.npz", "object_arrays.npz", "object_arrays_compressed.npz"])(
    "%s: both arrays, labelled npz",
    async (file) => {
      const result = await parseWith(handlers, file, corpus(`data2/${file}`));
      expect(result.formats).toContain("npz");
      expect(result.children.map((child) => child.chain[0])).toEqual(["a.npy", "b.npy"]);
      for (const child of result.children)
        expect(child.bytes.subarray(1, 6)).toEqual(new TextEncoder().encode("NUMPY"));
      expect(result.inconclusive).toEqual([]);
    },
  );

  it("malicious1.7z: the pickle inside (LZMA2, encoded header) is extracted", async () => {
    const result = await parseWith(handlers, "malicious1.7z", corpus("data/malicious1.7z"));
    expect(result.formats).toContain("7z");
    expect(result.children).toHaveLength(1);
    const child = result.children[0]?.bytes ?? new Uint8Array();
    expect(child[0]).toBe(0x80);
    expect(new TextDecoder().decode(child)).toContain("eval");
    expect(result.inconclusive).toEqual([]);
  });

  it.each(["data/bad_pytorch.pt", "data/pytorch_magic_bypass.pt", "data/not_a_pickle.bin", "data/pytorch_model.bin"])(
    "%s is claimed by no archive handler",
    async (file) => {
      const result = await parseWith(handlers, file, corpus(file));
      expect(result.formats).toEqual([]);
    },
  );
});
