import { describe, expect, it } from "vitest";
import { bytes, codes, fixture, imports, names, parse, tensors } from "./helpers.js";

function npy(header: string, data: Uint8Array, version: 1 | 2 = 1): Uint8Array {
  const unpadded = version === 1 ? 10 + header.length + 1 : 12 + header.length + 1;
  const padded = header + " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const length =
    version === 1 ? [padded.length & 0xff, padded.length >> 8] : [padded.length & 0xff, padded.length >> 8, 0, 0];
  return bytes(0x93, "NUMPY", version, 0, length, padded, data);
}

describe("numpy .npy", () => {
  it("emits a tensor fact for a numeric array (real np.save output, v1 and v2)", async () => {
    const v1 = await parse(fixture("numeric.npy"), "numeric.npy");
    expect(v1.formats).toEqual(["numpy"]);
    expect(tensors(v1)).toEqual([
      expect.objectContaining({
        name: "numeric.npy",
        dtype: "f32",
        formatDtype: "<f4",
        byteOrder: "little",
        shape: [3, 4],
        data: { offset: 128, length: 48 },
      }),
    ]);
    expect(codes(v1)).toEqual([]);
    const v2 = await parse(fixture("numeric-v2.npy"), "numeric-v2.npy");
    expect(tensors(v2)[0]).toMatchObject({ dtype: "i64", shape: [2, 3], data: { length: 48 } });
    expect(codes(v2)).toEqual([]);
  });

  it("hands the pickle of an object array to the pickle handler", async () => {
    const result = await parse(fixture("object.npy"), "object.npy");
    expect(result.formats).toEqual(["numpy", "pickle"]);
    expect(result.children.map((child) => child.chain.join(">"))).toEqual(["object-array"]);
    expect(names(imports(result))).toContain("numpy.core.multiarray._reconstruct");
    expect(result.inconclusive).toEqual([]);
  });

  it("treats structured dtypes with an object field as object arrays", async () => {
    const inner = bytes(0x80, 2, "cos\nsystem\nN", 0x85, "R.");
    const result = await parse(
      npy("{'descr': [('a', '<f4'), ('b', '|O')], 'fortran_order': False, 'shape': (1,), }", inner),
    );
    expect(names(imports(result))).toEqual(["os.system"]);
  });

  it("flags an object array that is not followed by a pickle", async () => {
    const result = await parse(
      npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", bytes("just some text")),
    );
    expect(codes(result)).toEqual(["malformed"]);
    expect(result.inconclusive).toHaveLength(1);
  });

  it("names a header without descr, as numpy.lib.format refuses it", async () => {
    const result = await parse(npy("{'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)));
    expect(result.inconclusive).toHaveLength(1);
    expect(result.inconclusive[0]).toContain("descr is missing");
  });

  it("reports short data as truncated and extra data as trailing", async () => {
    const header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }";
    const short = await parse(npy(header, new Uint8Array(10)));
    expect(codes(short)).toEqual(["truncated"]);
    expect(short.inconclusive).toHaveLength(1);
    const long = await parse(npy(header, new Uint8Array(20)));
    expect(codes(long)).toEqual(["trailing-data"]);
    expect(tensors(long)[0]).toMatchObject({ dtype: "i16", shape: [2, 3], data: { length: 12 } });
    const exact = await parse(npy(header, new Uint8Array(12), 2));
    expect(codes(exact)).toEqual([]);
  });

  it("rejects headers that are not a plain dict literal without evaluating them", async () => {
    for (const header of [
      "__import__('os').system('id')",
      "{'descr': '<f8', 'fortran_order': False}",
      "{'descr': 'x9', 'fortran_order': False, 'shape': (1,)}",
    ]) {
      const result = await parse(npy(header, new Uint8Array(8)));
      expect(codes(result)).toEqual(["malformed"]);
      expect(result.inconclusive).toHaveLength(1);
    }
    const cut = await parse(bytes(0x93, "NUMPY", 1, 0, [0xff, 0xff], "{'descr'"));
    expect(codes(cut)).toEqual(["truncated"]);
  });
});
