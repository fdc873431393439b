import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareSsdeep, parseSsdeep, SsdeepHasher, ssdeep } from "../src/fuzzy/ssdeep.js";

// Recorded with libfuzzy 2.14 (python3-ssdeep) by tooling/fixtures/generate_near_copy_fixtures.py.
const FIXTURES = new URL("../../../tooling/fixtures/", import.meta.url);
const vectors = JSON.parse(readFileSync(new URL("supply-chain/near-copy/ssdeep-vectors.json", FIXTURES), "utf8")) as {
  digests: { kind: "random" | "text" | "sparse"; size: number; ssdeep: string }[];
  scores: { left: string; right: string; score: number }[];
};

const encode = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const WORDS = ["model", "weights", "tensor", "layer", "import", "os", "system", "echo", "\n", "  ", "def", "return"]
  .concat(["0.125", "-1.5", "{", "}", "pickle", "torch", "\x80\x04", "\x00\x00\x00"])
  .map(encode);

/** The generator's `vector_input`: the same LCG, the same bytes. */
function vectorInput(kind: "random" | "text" | "sparse", size: number): Uint8Array {
  let state = Number((BigInt(size) * 2654435761n) % 2147483648n) || 1;
  const out = new Uint8Array(size + 128);
  let length = 0;
  while (length < size) {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    const pick = state >>> 16;
    if (kind === "random") {
      out[length++] = pick & 0xff;
    } else if (kind === "text") {
      const word = WORDS[pick % WORDS.length] as Uint8Array;
      out.set(word, length);
      length += word.length;
    } else if (pick % 3 !== 0) {
      length += pick % 97; // zeros
    } else {
      out.fill(pick & 0xff, length, length + (pick % 13) + 1);
      length += (pick % 13) + 1;
    }
  }
  return out.subarray(0, size);
}

describe("ssdeep digests as libfuzzy computes them", () => {
  it(`${vectors.digests.length} inputs of ${vectors.digests[0]?.size} to ${Math.max(...vectors.digests.map((entry) => entry.size))} bytes (random, text-like, sparse)`, () => {
    const mismatches = vectors.digests.filter(
      ({ kind, size, ssdeep: expected }) => ssdeep(vectorInput(kind, size)) !== expected,
    );
    expect(mismatches).toEqual([]);
  });

  it("streamed in chunks of any size, the digest is the same", () => {
    for (const { kind, size, ssdeep: expected } of vectors.digests.filter((entry) => entry.size >= 100_000)) {
      const bytes = vectorInput(kind, size);
      for (const chunk of [7, 4096, 65_537]) {
        const hasher = new SsdeepHasher();
        for (let offset = 0; offset < bytes.length; offset += chunk)
          hasher.update(bytes.subarray(offset, offset + chunk));
        expect(hasher.digest(), `${kind} ${size} in chunks of ${chunk}`).toBe(expected);
        expect(hasher.size).toBe(bytes.length);
      }
    }
  });

  it("empty and tiny inputs", () => {
    expect(ssdeep(new Uint8Array())).toBe("3::");
    expect(ssdeep(new TextEncoder().encode("a"))).toBe("3:E:E");
  });
});

describe("comparing digests as fuzzy_compare does", () => {
  it(`${vectors.scores.length} recorded pairs (equal block sizes, a factor of two apart, unrelated)`, () => {
    const wrong = vectors.scores
      .map((pair) => ({ ...pair, actual: compareSsdeep(pair.left, pair.right) }))
      .filter((pair) => pair.actual !== pair.score);
    expect(wrong).toEqual([]);
    expect(vectors.scores.filter((pair) => pair.score > 0 && pair.score < 100).length).toBeGreaterThan(20);
  });

  it("block sizes that are not equal or a factor of two apart are not comparable", () => {
    expect(compareSsdeep("3:abcdefghij:abcdefghij", "12:abcdefghij:abcdefghij")).toBe(0);
    expect(compareSsdeep("96:abcdefghijklmn:abcdefghijklmn", "96:abcdefghijklmn:abcdefghijklmn")).toBe(100);
  });

  it("reads only well-formed digests: block size 3 * 2^n, base64 parts of at most 64", () => {
    expect(parseSsdeep("6:abcAAAAAAdef:xyz")).toEqual({ blockSize: 6, part1: "abcAAAdef", part2: "xyz" });
    for (const bad of ["5:abc:def", "0:a:b", "3:abc", "3:ab!:c", `3:${"a".repeat(65)}:b`, '3:a:b,"file"', "x:a:b"]) {
      expect(parseSsdeep(bad), bad).toBeNull();
    }
    expect(() => compareSsdeep("3:a", "3:a:b")).toThrow(/not an ssdeep digest/);
  });
});
