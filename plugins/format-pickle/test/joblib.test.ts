import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bytes,
  codes,
  fixture,
  imports,
  listFiles,
  names,
  parse,
  SHARED_FIXTURES,
  shortUnicode,
  tensors,
} from "./helpers.js";

const OWN = [
  "joblib-arrays-p2.joblib",
  "joblib-arrays-p3.joblib",
  "joblib-arrays-p4.joblib",
  "joblib-arrays-p5.joblib",
  "sklearn-logreg.joblib",
  "sklearn-forest-small.joblib",
];
// Uncompressed joblib files from the shared fixture set (compressed ones belong to the archive plugin).
const SHARED = listFiles(SHARED_FIXTURES).filter((file) => file.endsWith(".joblib") && !file.includes("zlib"));

describe("joblib inline arrays", () => {
  it.each(OWN)("%s parses to its final STOP with no anomaly", async (name) => {
    const data = fixture(name);
    const result = await parse(data, name);
    expect(result.formats).toEqual(["pickle", "joblib"]);
    expect(codes(result)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
    // Every array's bytes lie inside the file and do not overlap.
    const ranges = tensors(result).map(
      (fact) => [fact.data?.offset ?? -1, (fact.data?.offset ?? 0) + (fact.data?.length ?? 0)] as const,
    );
    expect(ranges.length).toBeGreaterThan(0);
    for (const [start, end] of ranges) expect(start >= 0 && end <= data.length).toBe(true);
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    for (let index = 1; index < sorted.length; index++) {
      expect((sorted[index] as readonly number[])[0]).toBeGreaterThanOrEqual(
        (sorted[index - 1] as readonly number[])[1] as number,
      );
    }
  });

  it("reads dtype and shape of every array kind (real joblib 1.2 output)", async () => {
    const result = await parse(fixture("joblib-arrays-p4.joblib"));
    const layouts = tensors(result).map((fact) => [
      fact.dtype,
      fact.formatDtype,
      fact.byteOrder,
      fact.shape,
      fact.data?.length,
    ]);
    expect(layouts).toEqual(
      expect.arrayContaining([
        ["f64", "<f8", "little", [7, 3], 168],
        // Fortran order: the bytes are the transpose, a C-order [5, 4] array.
        ["f32", ">f4", "big", [5, 4], 80],
        ["i16", "<i2", "little", [11], 22],
        ["opaque", "<U7", "little", [2], 56],
        ["opaque", "S3", "little", [2], 6],
        ["opaque", "V12", "little", [3], 36],
        ["f64", "<f8", "little", [], 8],
        ["f64", "<f8", "little", [0, 4], 0],
        ["bool", "b1", "little", [2], 2],
      ]),
    );
    // The object array is a nested pickle read in place.
    expect(names(imports(result))).toContain("numpy.core.multiarray._reconstruct");
  });

  it.each(SHARED.map((file) => [path.basename(file), file]))(
    "shared fixture %s parses cleanly",
    async (_name, file) => {
      const result = await parse(new Uint8Array(readFileSync(file)), path.basename(file));
      expect(result.formats).toContain("joblib");
      expect(codes(result)).toEqual([]);
      expect(result.inconclusive).toEqual([]);
    },
  );

  it("reports array data cut short as truncated and inconclusive", async () => {
    const data = fixture("sklearn-logreg.joblib");
    const result = await parse(data.subarray(0, data.length - 30));
    expect(codes(result)).toContain("truncated");
    expect(result.inconclusive.length).toBeGreaterThan(0);
  });

  function wrapper(state: (string | number | Uint8Array | number[])[], after: (string | number | number[])[]) {
    return bytes(
      0x80,
      4,
      "cjoblib.numpy_pickle\nNumpyArrayWrapper\n)",
      0x81,
      "}(",
      ...state,
      "ub",
      ...after,
      shortUnicode("after-the-array"),
      "0cos\nsystem\nN",
      0x85,
      "R.",
    );
  }
  const SHAPE = [shortUnicode("shape"), "K", 3, 0x85];
  const DTYPE = [
    shortUnicode("dtype"),
    "cnumpy\ndtype\n",
    shortUnicode("i2"),
    0x89,
    0x88,
    0x87,
    "R(K",
    3,
    shortUnicode("<"),
    "NNNJ",
    [255, 255, 255, 255],
    "J",
    [255, 255, 255, 255],
    "K",
    0,
    "tb",
  ];

  it("skips pre-1.2 arrays (no padding byte) and 1.2+ arrays (padding byte + padding)", async () => {
    const old = await parse(wrapper([...SHAPE, ...DTYPE], [[1, 0, 2, 0, 3, 0]]));
    expect(codes(old)).toEqual([]);
    expect(names(imports(old))).toContain("os.system");
    const aligned = await parse(
      wrapper(
        [...SHAPE, ...DTYPE, shortUnicode("numpy_array_alignment_bytes"), "K", 16],
        [[3, 0xff, 0xff, 0xff, 1, 0, 2, 0, 3, 0]],
      ),
    );
    expect(codes(aligned)).toEqual([]);
    expect(tensors(aligned)[0]).toMatchObject({ dtype: "i16", formatDtype: "<i2", shape: [3], data: { length: 6 } });
    expect(names(imports(aligned))).toContain("os.system");
  });

  it("refuses to guess when the wrapper's dtype or shape is unknown", async () => {
    for (const state of [[...SHAPE], [...DTYPE], [...SHAPE, shortUnicode("dtype"), shortUnicode("f8")]]) {
      const result = await parse(wrapper(state, []));
      expect(codes(result)).toEqual(["malformed"]);
      expect(result.inconclusive[0]).toMatch(/NumpyArrayWrapper/);
    }
  });
});
