import { readFileSync } from "node:fs";
import { seededRandom } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { hdf5AbortCount } from "../src/hdf5-reader.js";
import { MarshalError, readMarshalCode } from "../src/marshal-reader.js";
import { FIXTURES, fixture, parse } from "./helpers.js";

/** Truncations, bit flips, and absurd 32/64-bit values written over length and address fields. */
function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const copy = bytes.slice();
  const choice = next();
  if (choice < 0.3) return copy.subarray(0, Math.floor(next() * copy.length));
  if (choice < 0.7) {
    for (let flips = 1 + Math.floor(next() * 8); flips > 0; flips--) {
      const at = Math.floor(next() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
    }
    return copy;
  }
  const at = Math.floor(next() * Math.max(1, copy.length - 8));
  const filler = [0xff, 0x7f, 0x00, 0x80][Math.floor(next() * 4)]!;
  copy.fill(filler, at, Math.min(copy.length, at + 4 + Math.floor(next() * 5)));
  return copy;
}

const H5_FILES = ["keras2_sequential_dense.h5", "keras2_functional_conv.h5", "keras2_lambda_os_system.h5"];

// Each failing file costs a fresh h5wasm instance, up to a bound; past it the reader is off and every
// HDF5 file is inconclusive (see hdf5-reader.ts). This suite goes well past the bound on purpose: both
// regimes must hold up. Recovery after a failure is tested in keras-fixtures.test.ts.
describe("damaged HDF5 files never crash the process or hang (h5wasm runs in-process)", () => {
  // An abort is the file's inconclusive reason, never a line on stderr (nothing is printed under --quiet).
  let consoleError: MockInstance<typeof console.error>;
  beforeAll(() => {
    consoleError = vi.spyOn(console, "error");
  });
  afterAll(() => {
    const aborts = consoleError.mock.calls.filter((call) => String(call[0]).startsWith("Aborted("));
    consoleError.mockRestore();
    expect(hdf5AbortCount()).toBeGreaterThan(0);
    expect(aborts).toEqual([]);
  });

  for (const file of H5_FILES) {
    it(`${file}: 150 seeded truncations, bit flips and absurd fields`, async () => {
      const original = fixture(file);
      const next = seededRandom(file.length * 7919);
      let inconclusive = 0;
      for (let seed = 0; seed < 150; seed++) {
        const mutated = mutate(original, next);
        const started = performance.now();
        const parsed = await parse(file, mutated);
        expect(performance.now() - started).toBeLessThan(30_000);
        if (parsed.inconclusive.length > 0) {
          inconclusive++;
          // Fail closed: whenever the handler gives up, an anomaly says why.
          expect(parsed.facts.some((fact) => fact.kind === "anomaly")).toBe(true);
        }
      }
      expect(inconclusive).toBeGreaterThan(0);
      console.log(
        `${file}: ${inconclusive} of 150 mutants inconclusive; HDF5 aborts so far in this process: ${hdf5AbortCount()}`,
      );
    });
  }
});

describe("damaged marshal data never throws anything but MarshalError", () => {
  const samples = JSON.parse(readFileSync(new URL("marshal-samples.json", FIXTURES), "utf8")) as {
    interpreters: { version: string; samples: Record<string, string> }[];
  };
  for (const { version, samples: marshalled } of samples.interpreters) {
    it(`${version}: 300 mutations of the constants lambda`, () => {
      const original = new Uint8Array(Buffer.from(marshalled.constants!, "base64"));
      const next = seededRandom(original.length * 31);
      for (let seed = 0; seed < 300; seed++) {
        const mutated = mutate(original, next);
        const started = performance.now();
        try {
          readMarshalCode(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(MarshalError);
        }
        expect(performance.now() - started).toBeLessThan(30_000);
      }
    });
  }
});
