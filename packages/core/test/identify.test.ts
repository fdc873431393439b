import { describe, expect, it } from "vitest";
import type { Registry } from "../src/engine/registry.js";
import { identifyBytes } from "../src/engine/sniff.js";
import type { FormatHandler } from "../src/plugin.js";

const magicHandler: FormatHandler = {
  id: "mag",
  description: "starts with MAG!",
  magic: [Uint8Array.from([0x4d, 0x41, 0x47, 0x21])],
  sniff: ({ head }) =>
    head.length >= 5 &&
    head[0] === 0x4d &&
    head[1] === 0x41 &&
    head[2] === 0x47 &&
    head[3] === 0x21 &&
    head[4] === 0x31,
  parse: () => undefined,
};
const anyHandler: FormatHandler = {
  id: "any",
  description: "starts with X, no magic",
  sniff: ({ head }) => head[0] === 0x58,
  parse: () => undefined,
};
const registry = { handlers: [magicHandler, anyHandler] } as unknown as Registry;
const bytes = (text: string) => new TextEncoder().encode(text);

describe("identify", () => {
  it("runs every sniffer at offset 0 and magic sniffers wherever their magic occurs", () => {
    expect(identifyBytes(registry, bytes("X..MAG!1..MAG!0..MAG!1"))).toEqual([
      { format: "any", offset: 0 },
      { format: "mag", offset: 3 },
      { format: "mag", offset: 17 },
    ]);
  });

  it("narrows to the formats asked for, and to magic offsets for windows that are not a file's start", () => {
    expect(identifyBytes(registry, bytes("X..MAG!1"), { formats: ["any"] })).toEqual([{ format: "any", offset: 0 }]);
    expect(identifyBytes(registry, bytes("X..MAG!1"), { magicOnly: true })).toEqual([{ format: "mag", offset: 3 }]);
  });

  it("follows the registry's handlers when asked for formats: a list passed again or rebuilt, a handler replaced", () => {
    const handlers = [magicHandler, anyHandler];
    const changing = { handlers } as unknown as Registry;
    const formats = ["mag"];
    const window = bytes("..MAG!1..MAG!0.MAG!1");
    expect(identifyBytes(changing, window, { formats, magicOnly: true })).toEqual([
      { format: "mag", offset: 2 },
      { format: "mag", offset: 15 },
    ]);
    // The same list in another array, and the same array again: the same answer.
    expect(identifyBytes(changing, window, { formats: ["mag"], magicOnly: true })).toHaveLength(2);
    expect(identifyBytes(changing, window, { formats, magicOnly: true })).toHaveLength(2);
    // A handler of that format replaced in the registry's own array: the new one sniffs.
    handlers[0] = { ...magicHandler, sniff: ({ head }) => head[4] === 0x30 };
    expect(identifyBytes(changing, window, { formats, magicOnly: true })).toEqual([{ format: "mag", offset: 9 }]);
    expect(identifyBytes(changing, window, { formats: ["mag"], magicOnly: true })).toEqual([
      { format: "mag", offset: 9 },
    ]);
  });

  it("sniffs a handler once per offset however many of its magics match there, beside others sharing a first byte", () => {
    const twoMagics: FormatHandler = {
      id: "two",
      description: "MA or MAG",
      magic: [bytes("MA"), bytes("MAG")],
      sniff: ({ head }) => head[0] === 0x4d && head[1] === 0x41,
      parse: () => undefined,
    };
    const both = { handlers: [magicHandler, twoMagics] } as unknown as Registry;
    expect(identifyBytes(both, bytes("..MAG!1.MA"), { magicOnly: true })).toEqual([
      { format: "mag", offset: 2 },
      { format: "two", offset: 2 },
      { format: "two", offset: 8 },
    ]);
  });

  it("bounds the candidates a hostile window can make it sniff, and says so", () => {
    const found = identifyBytes(registry, bytes("MAG!1".repeat(10_000)));
    expect(found.length).toBeLessThanOrEqual(4097);
    expect(found[0]).toEqual({ format: "mag", offset: 0 });
    expect(found.limited).toBe(true);
    expect(identifyBytes(registry, bytes("MAG!1".repeat(10))).limited).toBeUndefined();
  });
});
