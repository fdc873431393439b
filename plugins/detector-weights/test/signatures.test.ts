import { deflateRawSync, gzipSync } from "node:zlib";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { findSignature, matchPickle, signatureAt } from "../src/index.js";

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : [...part])));

function randomBytes(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(count);
  for (let index = 0; index < count; index++) out[index] = Math.floor(random() * 256);
  return out;
}

/** A minimal zip local header as zipfile writes it (name `a.txt`, deflated). */
function zipHeader(): Uint8Array {
  const header = new Uint8Array(30 + 5);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(8, 8, true);
  view.setUint16(26, 5, true);
  header.set(Buffer.from("a.txt"), 30);
  return Uint8Array.from([...header, ...deflateRawSync(Buffer.from("hello"))]);
}

/** A PE stub: `MZ`, e_lfanew = 0x80, `PE\0\0` there. */
function peHeader(): Uint8Array {
  const out = new Uint8Array(0x100);
  out.set([0x4d, 0x5a]);
  new DataView(out.buffer).setUint32(0x3c, 0x80, true);
  out.set([0x50, 0x45, 0, 0], 0x80);
  return out;
}

describe("file signatures in extracted bytes", () => {
  const cases: [string, Uint8Array][] = [
    ["elf", bytes([0x7f], "ELF", [2, 1, 1, 0], new Array(8).fill(0))],
    ["pe", peHeader()],
    ["zip", zipHeader()],
    ["gzip", new Uint8Array(gzipSync(Buffer.from("hidden")))],
    ["7z", bytes("7z", [0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ["png", bytes([0x89], "PNG\r\n", [0x1a, 0x0a], [0, 0, 0, 13], "IHDR")],
    ["pdf", bytes("%PDF-1.7\n%\xe2\xe3\n")],
    ["shebang", bytes("#!/usr/bin/env python3\nprint(1)\n")],
    ["pickle", bytes("\x80\x02cposix\nsystem\nq\x00X\x0b\x00\x00\x00echo hiddenq\x01\x85q\x02Rq\x03.")],
  ];
  for (const [kind, header] of cases) {
    it(`finds ${kind} at offset 0 and at an odd offset inside random bytes`, () => {
      expect(signatureAt(header, 0)?.kind).toBe(kind);
      const noise = randomBytes(4096, kind.length * 7919);
      const embedded = Uint8Array.from([...noise.subarray(0, 333), ...header, ...noise.subarray(333)]);
      const found = findSignature(embedded);
      expect(found?.kind).toBe(kind);
      expect(found?.offset).toBe(333);
    });
  }

  it("wants more than a magic number: bare MZ, #!, PK and a pickle header alone are not files", () => {
    expect(signatureAt(bytes("MZ", new Array(0x80).fill(0)), 0)).toBeNull();
    expect(signatureAt(bytes("#!\x01\x02garbage"), 0)).toBeNull();
    expect(signatureAt(bytes("#!/", [0xff, 0xfe]), 0)).toBeNull();
    expect(signatureAt(bytes("PK\x03\x04", [0xff, 0xff]), 0)).toBeNull();
    expect(signatureAt(bytes([0x7f], "ELF", [9, 9, 9]), 0)).toBeNull();
    expect(signatureAt(bytes([0x1f, 0x8b, 0x08, 0xff]), 0)).toBeNull();
    expect(signatureAt(bytes("%PDF-9.x"), 0)).toBeNull();
  });

  it("reads pickles opcode by opcode to STOP and names the first import", () => {
    const stackGlobal = bytes(
      "\x80\x04\x95\x1f\x00\x00\x00\x00\x00\x00\x00",
      "\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x04echo\x94\x85\x94R\x94.",
    );
    expect(matchPickle(stackGlobal, 0)).toMatchObject({ protocol: 4, firstImport: "posix.system" });
    // Plain data needs a dozen opcodes to count: `{}` alone is too short to tell from noise.
    expect(matchPickle(bytes("\x80\x02}q\x00."), 0)).toBeNull();
    const list = bytes("\x80\x03]q\x00(K\x01K\x02K\x03K\x04K\x05K\x06K\x07K\x08K\x09e.");
    expect(matchPickle(list, 0)).toMatchObject({ protocol: 3, firstImport: null });
    // Cut short, an unknown opcode, a length past the end, a non-identifier import: not a pickle.
    expect(matchPickle(bytes("\x80\x02cposix\nsystem\nq\x00X"), 0)).toBeNull();
    expect(matchPickle(bytes("\x80\x02\xff."), 0)).toBeNull();
    expect(matchPickle(bytes("\x80\x02X\xff\xff\xff\x00."), 0)).toBeNull();
    expect(matchPickle(bytes("\x80\x02c\x01\x02\nsystem\nR."), 0)).toBeNull();
    expect(matchPickle(bytes("\x80\x06cposix\nsystem\n."), 0)).toBeNull();
  });

  it("finds nothing in 16 MiB of random bytes", () => {
    for (let seed = 1; seed <= 256; seed++)
      expect(findSignature(randomBytes(64 * 1024, seed)), `seed ${seed}`).toBeNull();
  });
});
