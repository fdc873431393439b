import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { fixture, ofKind, parse } from "./helpers.js";

// Payload-preserving rewrites of the malicious Keras 2 H5 fixtures: libhdf5 finds a superblock
// after any user block of 2^k bytes (k >= 9) and overrides the base address the superblock stores,
// so prepending 512, 1024, ... bytes of anything leaves a file h5py opens and Keras loads the same
// way (differential-hdf5/prepended_512_* is that rewrite recorded with h5py). The handler must
// reach the same payload after every one of them.
const MALICIOUS = [
  { file: "keras2_lambda_os_system.h5", payload: "code" },
  { file: "keras2_lambda_module_os_system.h5", payload: "import" },
] as const;

type Filler = "zeros" | "text" | "random";

function userBlock(size: number, filler: Filler, seed: number): Uint8Array {
  if (filler === "zeros") return new Uint8Array(size);
  if (filler === "text")
    return new TextEncoder().encode("user block notes. ".repeat(Math.ceil(size / 18))).subarray(0, size);
  const random = seededRandom(seed);
  return Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

function prepend(block: Uint8Array, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(block.length + bytes.length);
  out.set(block, 0);
  out.set(bytes, block.length);
  return out;
}

const cases = MALICIOUS.flatMap(({ file, payload }) =>
  [9, 10, 11, 12, 13, 14, 15, 16, 17].flatMap((exponent) =>
    (["zeros", "text", "random"] as const).map((filler) => ({ file, payload, size: 2 ** exponent, filler })),
  ),
);

describe("user blocks prepended to malicious Keras H5 files", () => {
  it.each(cases)("$file after $size bytes of $filler", async ({ file, payload, size, filler }) => {
    const bytes = prepend(userBlock(size, filler, size), fixture(file));
    // A user block of 64 KiB or more hides the superblock from the sniff: only the name tells then.
    const parsed = await parse(file, bytes);
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.formats).toEqual(expect.arrayContaining(["keras-h5", "keras"]));
    if (payload === "code") {
      expect(ofKind(parsed.facts, "code")[0]?.names).toEqual(expect.arrayContaining(["__import__", "system"]));
    } else {
      expect(ofKind(parsed.facts, "import").map((fact) => `${fact.module}.${fact.name}`)).toEqual(["os.system"]);
    }
    // The stored base address (0) disagrees with where the superblock now sits.
    expect(ofKind(parsed.facts, "anomaly").map((fact) => fact.code)).toEqual(["unusual-structure"]);
  });

  it("past the sniff window under any name, the HDF5 metadata in the file's tail gets it read", async () => {
    const bytes = prepend(userBlock(2 ** 16, "random", 1), fixture("keras2_lambda_os_system.h5"));
    const parsed = await parse("model.bin", bytes);
    expect(parsed.formats).toEqual(expect.arrayContaining(["keras-h5", "keras"]));
    expect(ofKind(parsed.facts, "code")[0]?.names).toEqual(expect.arrayContaining(["__import__", "system"]));
  });
});
