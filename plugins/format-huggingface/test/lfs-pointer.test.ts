import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mutateBytes, parseWith, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { lfsPointerHandler, parseLfsPointer } from "../src/lfs-pointer-handler.js";
import { encode, ofKind, parse } from "./helpers.js";

const SUPPLY_CHAIN = new URL("../../../tooling/fixtures/supply-chain/", import.meta.url);
const readFixture = (file: string) => new Uint8Array(readFileSync(new URL(file, SUPPLY_CHAIN)));

const OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
const VERSION = "version https://git-lfs.github.com/spec/v1\n";
const POINTER = `${VERSION}oid sha256:${OID}\nsize 12345\n`;

describe("the Git LFS pointer fixture (tooling/fixtures/supply-chain)", () => {
  it("is claimed by the lfs-pointer handler alone and names the real file's digest and size", async () => {
    const pointer = readFixture("checkout-without-lfs/model.safetensors");
    const real = readFixture("pulled/model.safetensors");
    const parsed = await parse("model.safetensors", pointer);
    expect(parsed.formats).toEqual(["git-lfs-pointer"]);
    expect(parsed.inconclusive).toEqual([]);
    expect(parsed.facts).toEqual([
      { kind: "text", text: String(real.length), key: "git-lfs.size", role: "metadata", location: { line: 3 } },
      {
        kind: "reference",
        target: `sha256:${createHash("sha256").update(real).digest("hex")}`,
        referenceKind: "path",
        key: "git-lfs",
        location: { line: 2 },
      },
    ]);
  });

  it("the real safetensors file and the configs beside it are not pointers", async () => {
    for (const file of ["pulled/model.safetensors", "weak-checksum-sha1/config.json", "strong-checksum/config.json"]) {
      const parsed = await parseWith([lfsPointerHandler], file, readFixture(file));
      expect(parsed.formats).toEqual([]);
    }
  });
});

describe("parseLfsPointer follows the spec strictly", () => {
  const accepted: [string, string][] = [
    ["the canonical pointer", POINTER],
    ["a pointer whose final newline was lost", POINTER.slice(0, -1)],
    ["the pre-1.0 hawser version URL", POINTER.replace("git-lfs.github.com", "hawser.github.com")],
    ["size 0", `${VERSION}oid sha256:${OID}\nsize 0\n`],
    [
      "extension lines sorted before oid",
      `${VERSION}ext-0-foo sha256:${OID}\next-1-bar sha256:${OID}\noid sha256:${OID}\nsize 7\n`,
    ],
  ];
  for (const [name, text] of accepted) {
    it(`accepts ${name}`, () => {
      const pointer = parseLfsPointer(encode(text));
      expect(pointer?.oid).toBe(OID);
    });
  }

  const rejected: [string, string][] = [
    ["an empty file", ""],
    ["CRLF line endings", POINTER.replaceAll("\n", "\r\n")],
    ["keys out of order", `${VERSION}size 12345\noid sha256:${OID}\n`],
    ["a duplicated key", `${VERSION}oid sha256:${OID}\noid sha256:${OID}\nsize 1\n`],
    ["a missing size", `${VERSION}oid sha256:${OID}\n`],
    ["a missing oid", `${VERSION}size 1\n`],
    ["an upper-case oid", POINTER.replace(OID, OID.toUpperCase())],
    ["a short oid", POINTER.replace(OID, OID.slice(1))],
    ["another hash method", POINTER.replace("sha256:", "sha512:")],
    ["a negative size", POINTER.replace("12345", "-1")],
    ["two spaces after a key", POINTER.replace("size 12345", "size  12345")],
    ["an unknown key", `${VERSION}oid sha256:${OID}\nsize 1\nx-extra 1\n`],
    ["another version URL", POINTER.replace("spec/v1", "spec/v2")],
    ["version not first", `oid sha256:${OID}\n${VERSION}size 1\n`],
    ["a blank line", `${VERSION}\noid sha256:${OID}\nsize 1\n`],
    ["non-ASCII bytes", `${POINTER}\u00e9`],
    ["a pointer followed by other text", `${POINTER}more text\n`],
    ["a pointer padded past 1 KiB", `${POINTER.slice(0, -1)}${"0".repeat(1024)}\n`],
  ];
  for (const [name, text] of rejected) {
    it(`rejects ${name}`, async () => {
      expect(parseLfsPointer(encode(text))).toBeNull();
      expect((await parseWith([lfsPointerHandler], "model.bin", encode(text))).formats).toEqual([]);
    });
  }
});

describe("mutated pointers", () => {
  it("300 seeded truncations, bit flips and splices never throw; a claimed source always yields its facts", async () => {
    const original = encode(`${VERSION}ext-0-foo sha256:${OID}\noid sha256:${OID}\nsize 12345\n`);
    const random = seededRandom(0x1f5);
    let claimed = 0;
    for (let round = 0; round < 300; round++) {
      const parsed = await parseWith([lfsPointerHandler], "model.bin", mutateBytes(original, random));
      expect(parsed.inconclusive).toEqual([]);
      if (parsed.formats.length === 0) {
        expect(parsed.facts).toEqual([]);
        continue;
      }
      claimed++;
      const references = ofKind(parsed.facts, "reference");
      expect(references).toHaveLength(1);
      expect(references[0]!.target).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(ofKind(parsed.facts, "text").some((fact) => fact.key === "git-lfs.size")).toBe(true);
    }
    // Some mutations (e.g. a flipped digit in the size) are still valid pointers; most are not.
    expect(claimed).toBeGreaterThan(0);
    expect(claimed).toBeLessThan(300);
  });
});
