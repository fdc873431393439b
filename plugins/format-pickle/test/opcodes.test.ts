import { describe, expect, it } from "vitest";
import {
  anomalies,
  binUnicode,
  bytes,
  calls,
  codes,
  imports,
  names,
  parse,
  shortUnicode,
  texts,
  u32,
  u64,
} from "./helpers.js";

/** `builtins.print(*args)` around the given argument opcodes, so the call's rendered args show decoded values. */
function callPrint(protocolHeader: number[], ...argumentOps: (string | number | Uint8Array | number[])[]): Uint8Array {
  return bytes(protocolHeader, "cbuiltins\nprint\n(", ...argumentOps, "tR.");
}

describe("protocol 0 text arguments", () => {
  it("decodes INT, LONG, FLOAT, STRING and UNICODE lines", async () => {
    const result = await parse(
      callPrint(
        [],
        "I42\n",
        "I-7\n",
        "I00\n",
        "I01\n",
        "L123456789012345678901234567890L\n",
        "F1.5\n",
        "S'a\\x41\\'b\\n'\n",
        "Vcaf\\u00e9!\n",
      ),
    );
    expect(anomalies(result)).toEqual([]);
    expect(result.inconclusive).toEqual([]);
    expect(calls(result)[0]?.args).toEqual([
      "42",
      "-7",
      "False",
      "True",
      "123456789012345678901234567890",
      "1.5",
      JSON.stringify("aA'b\n"),
      JSON.stringify("café!"),
    ]);
    expect(texts(result).map((fact) => fact.text)).toContain("café!");
  });

  it("rejects an unquoted STRING as malformed and stops", async () => {
    const result = await parse(bytes("cos\nsystem\n(S'ls\ntR."));
    expect(names(imports(result))).toEqual(["os.system"]);
    expect(codes(result)).toContain("malformed");
    expect(result.inconclusive.length).toBe(1);
  });

  it("reads GET/PUT lines and PERSID", async () => {
    const result = await parse(bytes("Vos\np7\n0Vsystem\np8\n0g7\ng8\n\x93(Pfile-id\ntR."));
    expect(names(imports(result))).toEqual(["os.system"]);
    expect(calls(result)[0]?.args).toEqual(["<persistent id>"]);
  });
});

describe("binary scalars and strings", () => {
  it("decodes BININT1/2, BININT, LONG1, LONG4 and BINFLOAT", async () => {
    const float = new Uint8Array(8);
    new DataView(float.buffer).setFloat64(0, -2.25, false);
    const result = await parse(
      callPrint(
        [0x80, 2],
        "K",
        200,
        "M",
        [0x34, 0x12],
        "J",
        u32(-5 >>> 0),
        0x8a,
        2,
        [0xff, 0x7f],
        0x8a,
        1,
        [0xff],
        0x8b,
        u32(1),
        [7],
        "G",
        float,
        0x8a,
        0,
      ),
    );
    expect(anomalies(result)).toEqual([]);
    expect(calls(result)[0]?.args).toEqual(["200", "4660", "-5", "32767", "-1", "7", "-2.25", "0"]);
  });

  it("decodes every string and bytes opcode and emits text facts for str of length >= 4", async () => {
    const result = await parse(
      callPrint(
        [0x80, 5],
        "T",
        u32(5),
        "hello",
        "U",
        3,
        "abc",
        binUnicode("wörld"),
        shortUnicode("short-unicode"),
        0x8d,
        u64(4),
        "uni8",
        "B",
        u32(2),
        "xy",
        "C",
        1,
        "z",
        0x8e,
        u64(3),
        "b8!",
      ),
    );
    expect(anomalies(result)).toEqual([]);
    expect(calls(result)[0]?.args).toEqual([
      '"hello"',
      '"abc"',
      '"wörld"',
      '"short-unicode"',
      '"uni8"',
      "<2 bytes>",
      "<1 bytes>",
      "<3 bytes>",
    ]);
    const strings = texts(result).map((fact) => fact.text);
    expect(strings).toEqual(expect.arrayContaining(["hello", "wörld", "short-unicode", "uni8"]));
    expect(strings).not.toContain("abc");
    expect(
      texts(result).every((fact) => fact.role === "string-constant" && typeof fact.location?.offset === "number"),
    ).toBe(true);
  });

  it("reads BYTEARRAY8, NEXT_BUFFER and READONLY_BUFFER", async () => {
    const result = await parse(callPrint([0x80, 5], 0x96, u64(3), "abc", 0x97, 0x98));
    expect(calls(result)[0]?.args).toEqual(["<3 bytes>", "<unknown>"]);
    expect(codes(result)).toEqual(["unusual-structure"]);
    expect(result.inconclusive).toEqual([]);
  });
});

describe("containers and stack manipulation", () => {
  it("builds tuples, lists, dicts, sets and frozensets", async () => {
    const result = await parse(
      callPrint(
        [0x80, 4],
        ")",
        "K",
        1,
        0x85,
        "K",
        1,
        "K",
        2,
        0x86,
        "K",
        1,
        "K",
        2,
        "K",
        3,
        0x87,
        "]K",
        4,
        "a(K",
        5,
        "K",
        6,
        "e",
        "(K",
        7,
        "l",
        "}K",
        1,
        "K",
        2,
        "s(K",
        3,
        "K",
        4,
        "u",
      ),
    );
    expect(anomalies(result)).toEqual([]);
    expect(calls(result)[0]?.args).toEqual(["()", "(1)", "(1, 2)", "(1, 2, 3)", "[4, 5, 6]", "[7]", "{2 items}"]);
    const sets = await parse(callPrint([0x80, 4], 0x8f, "(K", 8, 0x90, "(K", 9, 0x91));
    expect(anomalies(sets)).toEqual([]);
    expect(calls(sets)[0]?.args).toEqual(["{8}", "frozenset({9})"]);
  });

  it("handles POP, POP_MARK, DUP, NONE, NEWTRUE and NEWFALSE", async () => {
    const result = await parse(callPrint([0x80, 2], "N", 0x88, 0x89, "K", 9, "0", "(K", 1, "K", 2, "1", "K", 3, "2"));
    expect(anomalies(result)).toEqual([]);
    expect(calls(result)[0]?.args).toEqual(["None", "True", "False", "3", "3"]);
  });

  it("reports stack underflow and a missing MARK as malformed but keeps reading", async () => {
    const result = await parse(bytes(0x80, 2, "0t", "cos\nsystem\n(S'ls'\ntR."));
    expect(codes(result)).toEqual(["malformed", "malformed"]);
    expect(names(imports(result))).toEqual(["os.system"]);
  });

  it("flags duplicate or misplaced PROTO and unsupported protocols as unusual structure", async () => {
    const result = await parse(bytes(0x80, 2, 0x80, 7, "N."));
    expect(codes(result)).toEqual(["unusual-structure", "unusual-structure"]);
    const misplaced = await parse(bytes("cos\nsystem\n", 0x80, 2, "N", 0x85, "R."));
    expect(codes(misplaced)).toEqual(["unusual-structure"]);
    expect(names(calls(misplaced))).toEqual(["os.system"]);
  });

  it("stops at an unknown opcode with a malformed anomaly and an inconclusive reason", async () => {
    const result = await parse(bytes(0x80, 4, "cos\nsystem\n", 0xff, "."));
    expect(names(imports(result))).toEqual(["os.system"]);
    expect(codes(result)).toEqual(["malformed"]);
    expect(result.inconclusive[0]).toMatch(/offset 13/);
  });
});
