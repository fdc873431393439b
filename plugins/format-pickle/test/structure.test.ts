import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  anomalies,
  bytes,
  calls,
  codes,
  imports,
  names,
  parse,
  SHARED_FIXTURES,
  shortUnicode,
  u64,
} from "./helpers.js";

const HIDDEN = "cos\nsystem\n(S'id'\ntR.";

describe("FRAME differential", () => {
  it("flags an argument crossing its FRAME end and reads the bytes after the frame end as opcodes", async () => {
    // The frame covers only "C" and its length byte: the SHORT_BINBYTES payload lies past the frame end.
    const data = bytes(0x80, 4, 0x95, u64(2), "C", HIDDEN.length, HIDDEN, "0N.");
    const result = await parse(data);
    const differential = anomalies(result).filter((fact) => fact.code === "parser-differential");
    expect(differential).toHaveLength(1);
    expect(differential[0]?.location?.offset).toBe(11);
    // The shadow reading (offset 13, stream 0 of this source) finds the hidden global...
    expect(imports(result).filter((fact) => fact.location?.offset === 13)).toMatchObject([
      { module: "os", name: "system", location: { stream: 0 } },
    ]);
    expect(names(calls(result))).toContain("os.system");
    // ...and the bytes value itself is also handed over as an embedded pickle.
    expect(result.children.map((child) => child.chain.join(">"))).toEqual(["bytes@11"]);
  });

  it("flags a FRAME longer than the data and a FRAME inside a frame", async () => {
    const tooLong = await parse(bytes(0x80, 4, 0x95, u64(1000), "N."));
    expect(codes(tooLong)).toEqual(["unusual-structure"]);
    const nested = await parse(bytes(0x80, 4, 0x95, u64(12), 0x95, u64(2), "N", "0", "N."));
    expect(codes(nested)).toContain("parser-differential");
  });

  it("keeps frames that end on opcode boundaries quiet", async () => {
    const result = await parse(bytes(0x80, 4, 0x95, u64(4), shortUnicode("ab"), 0x95, u64(1), "."));
    expect(codes(result)).toEqual([]);
  });

  it.skipIf(!existsShared("frame_boundary_differential.pkl"))(
    "finds the hidden global in the shared fixture",
    async () => {
      const result = await parse(shared("frame_boundary_differential.pkl"));
      expect(codes(result)).toContain("parser-differential");
      expect(names(imports(result))).toContain("os.system");
    },
  );
});

describe("stream boundaries", () => {
  it("keeps a global seen before a truncation and marks the stream inconclusive", async () => {
    const result = await parse(bytes(0x80, 4, "cos\nsystem\n", 0x8c, 40, "echo"));
    expect(names(imports(result))).toEqual(["os.system"]);
    expect(codes(result)).toEqual(["truncated"]);
    expect(result.inconclusive).toHaveLength(1);
    expect(result.inconclusive[0]).toMatch(/offset 13/);
  });

  it("reports a stream without STOP as truncated", async () => {
    const result = await parse(bytes(0x80, 2, "]q", 0, "K", 1));
    expect(codes(result)).toEqual(["truncated"]);
    expect(result.inconclusive).toHaveLength(1);
  });

  it("reads concatenated pickles, numbering the streams", async () => {
    const result = await parse(bytes(0x80, 4, "}.", "(dp0\n.", 0x80, 2, "cos\nsystem\nN", 0x85, "R."));
    expect(imports(result)[0]).toMatchObject({ module: "os", name: "system", location: { stream: 2 } });
    expect(codes(result)).toEqual([]);
  });

  it("reports bytes after the last STOP that are not a pickle as trailing data", async () => {
    const result = await parse(bytes(0x80, 4, "}.", [0, 1, 2, 3], "not a pickle"));
    expect(anomalies(result)).toMatchObject([{ code: "trailing-data", location: { offset: 4 } }]);
    expect(result.inconclusive).toEqual([]);
  });
});

describe("hostile sizes", () => {
  it("finishes billion-laughs DUP and memo bombs quickly", async () => {
    const dup = bytes(0x80, 4, "cbuiltins\nlen\n]", ...Array.from({ length: 64 }, () => "2\x86"), 0x85, "R.");
    const memo = bytes(
      0x80,
      4,
      "]q",
      0,
      ...Array.from({ length: 40 }, (_, index) => bytes("(h", index, "h", index, "lq", index + 1, "0")),
      "cbuiltins\nlen\nh",
      40,
      0x85,
      "R.",
    );
    for (const data of [dup, memo]) {
      const started = performance.now();
      const result = await parse(data);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(names(calls(result))).toEqual(["builtins.len"]);
      expect(calls(result)[0]?.args?.[0]?.length).toBeLessThan(200);
    }
  });

  it("never allocates for absurd length fields: truncated + limit-exceeded, inconclusive", async () => {
    for (const data of [
      bytes(0x80, 4, 0x8e, u64(2 ** 62), "abc"),
      bytes(0x80, 4, 0x8d, u64(2 ** 53), "abc"),
      bytes(0x80, 2, "X", [0xff, 0xff, 0xff, 0xff], "abc"),
      bytes(0x80, 2, 0x8b, [0xff, 0xff, 0xff, 0x7f], "abc"),
    ]) {
      const result = await parse(data);
      expect(codes(result)).toContain("truncated");
      expect(result.inconclusive).toHaveLength(1);
    }
    const huge = await parse(bytes(0x80, 4, 0x8e, u64(2 ** 62), "abc"));
    expect(codes(huge)).toEqual(["limit-exceeded", "truncated"]);
  });

  it("stops past 100,000 stack values and 1,000,000 memo entries", async () => {
    const deep = await parse(bytes(0x80, 2, new Uint8Array(100_001).fill(0x4e), "."));
    expect(codes(deep)).toEqual(["limit-exceeded"]);
    expect(deep.inconclusive[0]).toMatch(/stack deeper/);
    const memo = await parse(bytes(0x80, 4, "N", new Uint8Array(1_000_001).fill(0x94), "."));
    expect(codes(memo)).toEqual(["limit-exceeded"]);
    expect(memo.inconclusive[0]).toMatch(/memo entries/);
  });
});

function existsShared(name: string): boolean {
  try {
    readFileSync(path.join(SHARED_FIXTURES, name));
    return true;
  } catch {
    return false;
  }
}

function shared(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(SHARED_FIXTURES, name)));
}
