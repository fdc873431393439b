import { describe, expect, it } from "vitest";
import { decodePythonJson, detectJsonEncoding, replaceNonFiniteLiterals } from "../src/python-json.js";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("JSON as Python's json.loads reads bytes", () => {
  // Expected encodings are what CPython 3.11 json.detect_encoding returns for the same bytes.
  it.each<[string, Uint8Array, string, number]>([
    ["UTF-32 BE BOM", bytes(0, 0, 0xfe, 0xff, 0, 0, 0, 0x7b), "utf-32be", 4],
    ["UTF-32 LE BOM", bytes(0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0), "utf-32le", 4],
    ["UTF-16 BE BOM", bytes(0xfe, 0xff, 0, 0x7b), "utf-16be", 2],
    ["UTF-16 LE BOM", bytes(0xff, 0xfe, 0x7b, 0), "utf-16le", 2],
    ["UTF-8 BOM", bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d), "utf-8", 3],
    ["00 00 -- -- is UTF-32 BE", bytes(0, 0, 0, 0x7b), "utf-32be", 0],
    ["00 XX -- -- is UTF-16 BE", bytes(0, 0x7b, 0, 0x7d), "utf-16be", 0],
    ["XX 00 00 00 is UTF-32 LE", bytes(0x7b, 0, 0, 0), "utf-32le", 0],
    ["XX 00 XX 00 is UTF-16 LE", bytes(0x7b, 0, 0x7d, 0), "utf-16le", 0],
    ["two bytes 00 XX", bytes(0, 0x31), "utf-16be", 0],
    ["three bytes with a zero are UTF-8", bytes(0x31, 0, 0x32), "utf-8", 0],
    ["plain UTF-8", new TextEncoder().encode('{"a": 1}'), "utf-8", 0],
  ])("%s", (_name, input, encoding, bom) => {
    expect(detectJsonEncoding(input)).toEqual({ encoding, bom });
  });

  it("decodes UTF-16 and UTF-32 configs to the same text as UTF-8", () => {
    const text = '{"class_name": "Lambda", "name": "λ"}';
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...[...text].flatMap((char) => [char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8]),
    ]);
    const utf32be = new Uint8Array(
      [...text].flatMap((char) => [0, 0, char.charCodeAt(0) >> 8, char.charCodeAt(0) & 0xff]),
    );
    expect(decodePythonJson(utf16, true)).toBe(text);
    expect(decodePythonJson(utf32be, true)).toBe(text);
    expect(() => decodePythonJson(bytes(0x7b, 0xff, 0x7d, 0x20), true)).toThrow();
  });

  it("NaN and Infinity outside strings become null; inside strings they stay", () => {
    expect(
      JSON.parse(replaceNonFiniteLiterals('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN \\" Infinity"}')),
    ).toEqual({
      a: null,
      b: [null, null],
      c: 'NaN " Infinity',
    });
  });
});
