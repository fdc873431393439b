import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SniffInput } from "@modelaudit/core";
import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { numpyHandler, pickleHandler } from "../src/index.js";
import { OPCODE_NAMES } from "../src/opcodes.js";
import { bytes, CORPUS, fixture, u64 } from "./helpers.js";

function sniffInput(head: Uint8Array, name = "file.bin", size = head.length): SniffInput {
  const dot = name.lastIndexOf(".");
  return { head, tail: head, size, name, extension: dot > 0 ? name.slice(dot) : "", parentFormats: [] };
}

const claims = (data: Uint8Array, name?: string) => pickleHandler.sniff(sniffInput(data, name));

describe("pickle sniffing by content", () => {
  it("claims protocol 2-5 headers and protocol 0/1 starts that trial-parse", () => {
    for (const data of [
      bytes(0x80, 2, "}q", 0, "."),
      bytes(0x80, 5, 0x95, u64(3), "N."),
      bytes("(dp0\nS'a'\np1\nI1\ns."),
      bytes("]q", 0, "(K", 1, "e."),
      bytes("cos\nsystem\n(S'ls'\ntR."),
      bytes("c__builtin__\neval\n(Vprint(1)\ntR."),
      fixture("plain-p0.pkl"),
      fixture("plain-p1.pkl"),
    ]) {
      expect(claims(data, "model.txt")).toBe(true);
    }
  });

  it("does not claim text, JSON, PNG, safetensors, zip, GGUF, or GLOBALs with non-identifier names", () => {
    const safetensorsHeader = '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    for (const data of [
      bytes("cmod\n\xf8\n"),
      bytes("Hello, world. This is a plain text file.\n"),
      bytes("The quick brown fox\njumps over the lazy dog\n"),
      bytes('{"architectures": ["Bert"], "hidden_size": 768}'),
      bytes("[1, 2, 3]\n"),
      bytes("Note: (a) first\n(b) second\n"),
      bytes("Infinity and beyond\n"),
      bytes(0x89, "PNG\r\n", 0x1a, "\n", new Uint8Array(32)),
      bytes(u64(safetensorsHeader.length), safetensorsHeader, new Uint8Array(4)),
      bytes("PK", 3, 4, new Uint8Array(40)),
      bytes("GGUF", 3, 0, 0, 0, new Uint8Array(24)),
      bytes(0x80, 7, "N."),
      bytes(0x80, 2, 0xff),
      new Uint8Array(0),
    ]) {
      expect(claims(data, "model.pkl")).toBe(false);
    }
  });

  it("leaves .npy files to the numpy handler", () => {
    const npy = fixture("numeric.npy");
    expect(claims(npy)).toBe(false);
    expect(numpyHandler.sniff(sniffInput(npy))).toBe(true);
    expect(numpyHandler.sniff(sniffInput(fixture("plain-p4.pkl")))).toBe(false);
  });

  it("claims a pickle whose head was cut by the sniff window", () => {
    const data = fixture("plain-p0.pkl");
    expect(pickleHandler.sniff(sniffInput(data.subarray(0, 40), "x", data.length))).toBe(true);
  });

  const png = path.join(CORPUS, "data/bad_pytorch.pt");
  it.skipIf(!existsSync(png))("does not claim the corpus PNG named .pt", () => {
    expect(claims(new Uint8Array(readFileSync(png)), "bad_pytorch.pt")).toBe(false);
  });
});

/** `length` bytes, the first `filled` of them random. */
function randomBytes(length: number, filled: number, next: () => number): Uint8Array {
  const data = new Uint8Array(length);
  for (let index = 0; index < filled; index++) data[index] = Math.floor(next() * 256);
  return data;
}

describe("random tensor bytes", () => {
  it("are not claimed whatever opcode they start with", () => {
    // Sniffing accepts any first opcode, as the unpickler does: random data must still fail the trial parse.
    const opcodes = OPCODE_NAMES.flatMap((name, code) => (name && code !== 0x80 ? [code] : []));
    const next = seededRandom(777);
    let claimed = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const data = randomBytes(8192, 8192, next);
      data[0] = opcodes[trial % opcodes.length] as number;
      if (pickleHandler.sniff(sniffInput(data, "0", 200_000))) claimed++;
    }
    expect(claimed).toBe(0);
  });

  it("are not claimed even when the first byte is a pickle opcode with a length field", () => {
    // Tensor data stored in a zip starts with arbitrary bytes: 'X' (BINUNICODE) + a huge length.
    const next = seededRandom(12345);
    let claimed = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const data = randomBytes(200_000, 4096, next);
      data[0] = "XBT(]}".charCodeAt(trial % 6);
      if (pickleHandler.sniff(sniffInput(data.subarray(0, 65536), "0", data.length))) claimed++;
    }
    expect(claimed).toBe(0);
  });
});
