import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DescrError, type DescrType, descrToDtype } from "../src/numpy-dtype.js";
import { parsePythonLiteral } from "../src/python-literal.js";
import { bytes, codes, imports, names, parse } from "./helpers.js";

// What numpy.lib.format.descr_to_dtype (Debian's NumPy) made of each descr, recorded by
// tooling/fixtures/generate_differential_npy_descr_fixtures.py.
const TABLE = path.resolve(import.meta.dirname, "../../../tooling/fixtures/differential-npy-descr/descr-table.json");
interface Row {
  descr: string;
  numpy: { hasobject: boolean; itemsize: number } | null;
  error?: string;
}
const rows = (JSON.parse(readFileSync(TABLE, "utf8")) as { descrs: Row[] }).descrs;

type Ours = DescrType | { refused: boolean; message: string };

function ours(source: string): Ours {
  try {
    return descrToDtype(parsePythonLiteral(source));
  } catch (error) {
    if (error instanceof DescrError) return { refused: error.refusedByNumpy, message: error.message };
    // Python literals this reader does not parse (floats): unsupported.
    return { refused: false, message: String(error) };
  }
}

describe("descrs read as numpy.lib.format.descr_to_dtype reads them", () => {
  it.each(rows.map((row) => [row.descr, row] as const))("%s", (_source, row) => {
    const result = ours(row.descr);
    if (row.numpy === null) {
      // NumPy refuses it: nothing loads, so any answer is safe (this reader does not check every
      // rule NumPy does, e.g. the sizes of a (base, new_dtype) view).
      return;
    }
    if ("refused" in result) {
      // Never "numpy refuses" for a descr NumPy reads; "unsupported" keeps the file inconclusive.
      expect(result.refused, `${row.descr}: ${result.message}`).toBe(false);
      return;
    }
    expect({ hasobject: result.object, itemsize: result.itemSize }).toEqual(row.numpy);
  });

  it("models nearly every descr NumPy reads in the table", () => {
    const read = rows.filter((row) => row.numpy !== null);
    const unsupported = read.filter((row) => "refused" in ours(row.descr)).map((row) => row.descr);
    // Only datetime64 spelled by name is left: unsupported, so inconclusive.
    expect(unsupported).toEqual(["[('a', 'datetime64[ns]'), ('b', '|O')]", "'datetime64[ns]'"]);
  });

  it("refuses what NumPy refuses for objects it would never unpickle", () => {
    for (const source of ["('<i8', '|O')", "('|O', '<i8')", "[('a', '|O'), ('a', '<i4')]", "('|O',)"]) {
      const result = ours(source);
      expect("refused" in result && result.refused, source).toBe(true);
    }
  });
});

function npy(descr: string, data: Uint8Array): Uint8Array {
  const header = `{'descr': ${descr}, 'fortran_order': False, 'shape': (1,), }`;
  const padded = header + " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  return bytes(0x93, "NUMPY", 1, 0, [padded.length & 0xff, padded.length >> 8], padded, data);
}

const PAYLOAD = bytes(0x80, 2, "cos\nsystem\nX", [6, 0, 0, 0], "echo x", 0x85, "R.");

describe(".npy files with subarray, titled and comma-string descrs", () => {
  it.each([
    "('|O', (2,))",
    "('|O', 2)",
    "(('|O', (2,)), (3,))",
    "[(('t', 'a'), '|O')]",
    "['aO']",
    "{'aO': 1}",
    "'i4,O'",
    "'(2,)O'",
  ])("%s holds objects: its pickle is read", async (descr) => {
    const result = await parse(npy(descr, PAYLOAD), "x.npy");
    expect(result.formats).toEqual(["numpy", "pickle"]);
    expect(names(imports(result))).toContain("os.system");
    expect(result.inconclusive).toEqual([]);
  });

  it("reads a padding field of objects as raw bytes, as NumPy drops it", async () => {
    const result = await parse(npy("[('', '|O', (2,)), ('a', '<i4')]", new Uint8Array(20)), "x.npy");
    expect(result.formats).toEqual(["numpy"]);
    expect(result.inconclusive).toEqual([]);
  });

  it("stays inconclusive on a descr it does not model, and still reads a pickle after the header", async () => {
    const result = await parse(npy("[('t', 'datetime64[ns]'), ('b', '|O')]", PAYLOAD), "x.npy");
    expect(result.inconclusive).toEqual([expect.stringContaining("unsupported descr")]);
    expect(names(imports(result))).toContain("os.system");
    const raw = await parse(npy("'datetime64[ns]'", new Uint8Array(8)), "x.npy");
    expect(raw.inconclusive).toEqual([expect.stringContaining("unsupported descr")]);
    expect(codes(raw)).toContain("malformed");
  });

  it("calls a descr NumPy refuses malformed and does not read on", async () => {
    const result = await parse(npy("('<i8', '|O')", PAYLOAD), "x.npy");
    expect(result.inconclusive).toEqual([expect.stringContaining("numpy refuses descr")]);
    expect(imports(result)).toEqual([]);
  });
});
