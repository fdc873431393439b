import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, calls, imports, listFiles, names, parse } from "./helpers.js";

const labels: Record<string, { verdict: string }> = (() => {
  try {
    return JSON.parse(readFileSync(path.join(CORPUS, "labels.json"), "utf8"));
  } catch {
    return {};
  }
})();
const files = [...listFiles(path.join(CORPUS, "data")), ...listFiles(path.join(CORPUS, "data2"))];

describe.skipIf(files.length === 0)("picklescan corpus", () => {
  it.each(files.map((file) => [path.relative(CORPUS, file), file]))(
    "%s parses without throwing",
    async (_name, file) => {
      const started = performance.now();
      const result = await parse(new Uint8Array(readFileSync(file)), path.basename(file));
      expect(performance.now() - started).toBeLessThan(10_000);
      const label = labels[path.relative(CORPUS, file)]?.verdict;
      // A malicious pickle file must show what it imports or calls (or say why it could not be read).
      if (label === "malicious" && result.formats.includes("pickle")) {
        expect(imports(result).length + result.inconclusive.length).toBeGreaterThan(0);
      }
      // Benign files read cleanly: nothing inconclusive.
      if (label === "benign") expect(result.inconclusive).toEqual([]);
    },
  );

  it("claims every malicious .pkl/.pickle/.bin/.pt/.npy file of the corpus as pickle", async () => {
    const direct = files.filter((file) => /\.(pkl|pickle|bin|pt|npy)$/.test(file));
    for (const file of direct) {
      if (labels[path.relative(CORPUS, file)]?.verdict !== "malicious") continue;
      const result = await parse(new Uint8Array(readFileSync(file)), path.basename(file));
      expect({ file, formats: result.formats }).toEqual({ file, formats: expect.arrayContaining(["pickle"]) });
      expect(imports(result).length).toBeGreaterThan(0);
    }
  });

  it("malicious11.pkl imports os.system through memoized STACK_GLOBAL operands", async () => {
    const result = await parse(new Uint8Array(readFileSync(path.join(CORPUS, "data/malicious11.pkl"))));
    expect(names(imports(result))).toContain("os.system");
    expect(names(calls(result))).toContain("os.system");
  });

  it("malicious23.pkl imports os.system from protocol-0 STRING operands", async () => {
    const result = await parse(new Uint8Array(readFileSync(path.join(CORPUS, "data2/malicious23.pkl"))));
    expect(result.formats).toContain("pickle");
    expect(names(imports(result))).toContain("os.system");
  });

  it("keyerror-exploit.pkl yields an unresolved import after a memo miss", async () => {
    const result = await parse(new Uint8Array(readFileSync(path.join(CORPUS, "data2/keyerror-exploit.pkl"))));
    const unresolved = imports(result).filter((fact) => fact.module === null);
    expect(unresolved.length).toBeGreaterThan(0);
    expect(unresolved[0]?.unresolvedReason).toMatch(/memo|unknown/);
    expect(names(imports(result))).toContain("os.system");
  });

  it("broken_model.pkl still reports builtins.exec before the stream breaks", async () => {
    const result = await parse(new Uint8Array(readFileSync(path.join(CORPUS, "data/broken_model.pkl"))));
    expect(names(imports(result))).toContain("builtins.exec");
    expect(result.inconclusive.length).toBeGreaterThan(0);
  });

  it("does not claim the PNG or the non-pickle .bin", async () => {
    for (const file of ["data/bad_pytorch.pt", "data/not_a_pickle.bin"]) {
      const result = await parse(new Uint8Array(readFileSync(path.join(CORPUS, file))));
      expect(result.formats).toEqual([]);
    }
  });
});
