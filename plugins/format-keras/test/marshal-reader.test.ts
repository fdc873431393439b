import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectNames, summarizeCode } from "../src/code-summary.js";
import { MarshalError, type MarshalValue, readMarshal, readMarshalCode } from "../src/marshal-reader.js";
import { FIXTURES } from "./helpers.js";

const int32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return [...bytes];
};
const float64 = (value: number) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return [...bytes];
};
const ascii = (text: string) => [...new TextEncoder().encode(text)];
const read = (bytes: number[]): MarshalValue => readMarshal(new Uint8Array(bytes), "3.11+").value;
const c = (char: string) => char.charCodeAt(0);

describe("marshal type codes (hand-built, as Python/marshal.c writes them)", () => {
  it.each([
    ["N None", [c("N")], { kind: "none" }],
    ["F False", [c("F")], { kind: "bool", value: false }],
    ["T True", [c("T")], { kind: "bool", value: true }],
    [". Ellipsis", [c(".")], { kind: "ellipsis" }],
    ["S StopIteration", [c("S")], { kind: "stop-iteration" }],
    ["i int32", [c("i"), ...int32(-5)], { kind: "int", value: -5n }],
    ["I int64", [c("I"), ...int32(1), ...int32(1)], { kind: "int", value: 4294967297n }],
    ["l long 2**30", [c("l"), ...int32(3), 0, 0, 0, 0, 1, 0], { kind: "int", value: 2n ** 30n }],
    ["l negative long", [c("l"), ...int32(-1), 7, 0], { kind: "int", value: -7n }],
    ["g binary float", [c("g"), ...float64(1.5)], { kind: "float", value: 1.5 }],
    ["f text float", [c("f"), 4, ...ascii("2.25")], { kind: "float", value: 2.25 }],
    ["y binary complex", [c("y"), ...float64(0), ...float64(2.5)], { kind: "complex", real: 0, imag: 2.5 }],
    ["x text complex", [c("x"), 1, ...ascii("1"), 3, ...ascii("inf")], { kind: "complex", real: 1, imag: Infinity }],
    ["s bytes", [c("s"), ...int32(3), ...ascii("raw")], { kind: "bytes", value: new Uint8Array(ascii("raw")) }],
    ["u unicode", [c("u"), ...int32(2), 0xc3, 0xa9], { kind: "str", value: "é" }],
    ["t interned", [c("t"), ...int32(2), ...ascii("os")], { kind: "str", value: "os" }],
    ["a ascii", [c("a"), ...int32(2), ...ascii("ab")], { kind: "str", value: "ab" }],
    ["A interned ascii", [c("A"), ...int32(1), ...ascii("z")], { kind: "str", value: "z" }],
    ["z short ascii", [c("z"), 6, ...ascii("system")], { kind: "str", value: "system" }],
    ["Z interned short ascii", [c("Z"), 1, ...ascii("x")], { kind: "str", value: "x" }],
    [
      ") small tuple",
      [c(")"), 2, c("N"), c("T")],
      { kind: "tuple", items: [{ kind: "none" }, { kind: "bool", value: true }] },
    ],
    ["( tuple", [c("("), ...int32(1), c("F")], { kind: "tuple", items: [{ kind: "bool", value: false }] }],
    ["[ list", [c("["), ...int32(1), c("N")], { kind: "list", items: [{ kind: "none" }] }],
    ["< set", [c("<"), ...int32(1), c("i"), ...int32(1)], { kind: "set", items: [{ kind: "int", value: 1n }] }],
    [
      "> frozenset",
      [c(">"), ...int32(1), c("z"), 1, ...ascii("k")],
      { kind: "frozenset", items: [{ kind: "str", value: "k" }] },
    ],
    [
      "{ dict",
      [c("{"), c("z"), 1, ...ascii("k"), c("N"), c("0")],
      { kind: "dict", entries: [[{ kind: "str", value: "k" }, { kind: "none" }]] },
    ],
    [
      ": slice",
      [c(":"), c("N"), c("i"), ...int32(3), c("N")],
      { kind: "slice", start: { kind: "none" }, stop: { kind: "int", value: 3n }, step: { kind: "none" } },
    ],
  ] as [string, number[], MarshalValue][])("%s", (_name, bytes, expected) => {
    expect(read(bytes)).toEqual(expected);
  });

  it("FLAG_REF stores objects and r refers back to them, in type-byte order", () => {
    // A tuple flagged as ref 0 holding a string flagged as ref 1, then a reference to ref 1.
    const value = read([c(")") | 0x80, 2, c("z") | 0x80, 2, ...ascii("os"), c("r"), ...int32(1)]);
    expect(value).toEqual({
      kind: "tuple",
      items: [
        { kind: "str", value: "os" },
        { kind: "str", value: "os" },
      ],
    });
  });

  it.each([
    ["a reference to an object still being read", [c(")") | 0x80, 1, c("r"), ...int32(0)], /invalid reference 0/],
    ["a reference past the table", [c("r"), ...int32(5)], /invalid reference 5/],
    ["a length past the end", [c("s"), ...int32(1000), 1, 2], /exceeds the 2 bytes left/],
    ["a negative length", [c("("), ...int32(-1)], /length -1/],
    ["an unknown type byte", [c("?")], /unknown type/],
    ["an unnormalized long", [c("l"), ...int32(1), 0, 0], /unnormalized long/],
    ["a long digit over 15 bits", [c("l"), ...int32(1), 0xff, 0xff], /bad long digit/],
    ["a truncated int", [c("i"), 1, 2], /truncated int/],
    ["a text float that is not a number", [c("f"), 3, ...ascii("abc")], /not a number/],
  ])("rejects %s", (_name, bytes, message) => {
    expect(() => read(bytes as number[])).toThrow(MarshalError);
    expect(() => read(bytes as number[])).toThrow(message as RegExp);
  });

  it("bounds nesting depth without recursing on the input", () => {
    const deep = new Array(10_000).fill(c(")")).flatMap((byte) => [byte, 1]);
    expect(() => read([...deep, c("N")])).toThrow(/nesting deeper than/);
  });
});

interface Samples {
  sources: Record<string, string>;
  interpreters: { version: string; samples: Record<string, string> }[];
}

const samples: Samples = JSON.parse(readFileSync(new URL("marshal-samples.json", FIXTURES), "utf8"));
const decode = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

describe("real code objects marshalled by CPython 3.8-3.13", () => {
  it("the samples cover every supported version", () => {
    expect(samples.interpreters.map((entry) => entry.version.split(".").slice(0, 2).join("."))).toEqual(
      expect.arrayContaining(["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]),
    );
  });

  for (const { version, samples: marshalled } of samples.interpreters) {
    const minor = Number(version.split(".")[1]);
    const layout = minor >= 11 ? "3.11+" : "3.8-3.10";

    it(`${version}: the os.system lambda names __import__, system, os and the command`, () => {
      const { code, trailing } = readMarshalCode(decode(marshalled.malicious!));
      expect(trailing).toBe(0);
      expect(code.layout).toBe(layout);
      expect(code.name).toBe("<lambda>");
      expect(code.names).toEqual(["__import__", "system"]);
      expect(collectNames(code)).toEqual(
        expect.arrayContaining(["__import__", "system", "os", "echo modelaudit-fixture", "x"]),
      );
      const text = summarizeCode(code);
      expect(text).toContain(`opcodes read with the CPython 3.`);
      expect(text).toMatch(/LOAD_GLOBAL \d+ \(__import__\)/);
      expect(text).toMatch(/LOAD_(ATTR|METHOD) \d+ \(system\)/);
    });

    it(`${version}: the benign lambda has no call names`, () => {
      const { code } = readMarshalCode(decode(marshalled.benign!));
      expect(code.names).toEqual([]);
      expect(collectNames(code)).toEqual(["x"]);
    });

    it(`${version}: constants of every kind and a nested code object`, () => {
      const { code } = readMarshalCode(decode(marshalled.constants!));
      const names = collectNames(code);
      expect(names).toEqual(expect.arrayContaining(["x", "scale", "t", "name", "upper", "y"]));
      const text = summarizeCode(code);
      expect(text).toContain(String(10n ** 30n));
      expect(text).toContain('b"raw"');
      expect(names).toContain("frozenset");
      expect(text).toContain("BUILD_SET");
      expect(text).toContain("(0+2.5j)");
      expect(text).toMatch(/code object (<lambda>\.)?<lambda>\.?.*\(y\)/);
    });
  }
});
