import { parseWith } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { LZMA_FILE_STREAMS_MAX } from "../src/decode/lzma-file.js";
import { anomalies, fixture, handlers } from "./helpers.js";

// Concatenations of real streams (python3 lzma / xz wrote payload.pkl.xz and payload.pkl.lzma), read as
// Python's lzma.LZMAFile does (checked by hand with lzma.LZMAFile(...).read() and xz -dc).
const payload = fixture("payload.pkl");
const xz = fixture("payload.pkl.xz");
const alone = fixture("payload.pkl.lzma");
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
const nul = (count: number) => new Uint8Array(count);
const twice = concat(payload, payload);

async function read(name: string, bytes: Uint8Array) {
  const result = await parseWith(handlers, name, bytes);
  return {
    result,
    bytes: result.children[0]?.bytes ?? new Uint8Array(),
    differentials: anomalies(result.facts).filter((fact) => fact.code === "parser-differential"),
    trailing: anomalies(result.facts).filter((fact) => fact.code === "trailing-data"),
  };
}

describe("LZMA streams as lzma.LZMAFile reads them", () => {
  it.each([
    ["xz then LZMA-alone", concat(xz, alone)],
    ["LZMA-alone then xz", concat(alone, xz)],
    ["LZMA-alone then LZMA-alone", concat(alone, alone)],
  ])("%s: both decoded, xz -dc's shorter reading reported", async (_label, bytes) => {
    const { bytes: decoded, differentials, result } = await read("m.joblib", bytes);
    expect(decoded).toEqual(twice);
    expect(differentials).toHaveLength(1);
    expect(differentials[0]?.message).toMatch(/starts a new auto-detected stream there and reads it; xz -dc/);
    expect(result.inconclusive).toEqual([]);
  });

  it("two xz streams back to back: both readers agree, nothing reported", async () => {
    const { bytes, differentials, trailing } = await read("m.xz", concat(xz, xz));
    expect(bytes).toEqual(twice);
    expect([...differentials, ...trailing]).toEqual([]);
  });

  it("18 NULs are an empty LZMA-alone stream for liblzma's auto decoder: Python reads on, xz -dc does not", async () => {
    const { bytes, differentials } = await read("m.xz", concat(xz, nul(18), xz));
    expect(bytes).toEqual(twice);
    expect(differentials).toHaveLength(1);
  });

  it("36 NULs: two empty LZMA-alone streams for Python, stream padding for xz -dc: the readings agree", async () => {
    const { bytes, differentials } = await read("m.xz", concat(xz, nul(36), xz));
    expect(bytes).toEqual(twice);
    expect(differentials).toEqual([]);
  });

  // xz -dc reads padding to the end as part of the file; LZMAFile raises EOFError there, after the stream.
  it("stream padding to the end of the file is not trailing data; garbage after a stream is", async () => {
    const padded = await read("m.xz", concat(xz, nul(8)));
    expect(padded.bytes).toEqual(payload);
    expect([...padded.differentials, ...padded.trailing]).toEqual([]);
    const garbage = await read("m.xz", concat(alone, new TextEncoder().encode("garbage!")));
    expect(garbage.bytes).toEqual(payload);
    expect(garbage.trailing).toHaveLength(1);
    expect(garbage.differentials).toEqual([]);
  });

  it("a second stream cut short is inconclusive (LZMAFile raises EOFError), the first is still scanned", async () => {
    const { bytes, result } = await read("m.joblib", concat(alone, alone.subarray(0, alone.length - 3)));
    expect(bytes.subarray(0, payload.length)).toEqual(payload);
    expect(result.inconclusive.join("\n")).toMatch(/LZMA/);
  });

  it(`stops after ${LZMA_FILE_STREAMS_MAX} streams (inconclusive)`, async () => {
    const many = concat(xz, nul(18 * LZMA_FILE_STREAMS_MAX + 18), xz);
    const { result } = await read("m.xz", many);
    expect(result.inconclusive.join("\n")).toMatch(/concatenated LZMA streams/);
  });
});
