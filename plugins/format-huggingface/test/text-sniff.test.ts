import { describe, expect, it } from "vitest";
import { looksLikeText } from "../src/text-sniff.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("looksLikeText", () => {
  it("takes whole UTF-8, and a head that ends inside a character (the sniff head cuts files anywhere)", () => {
    const text = utf8('{"name": "modèle 日本語 🙂"}');
    expect(looksLikeText(text)).toBe(true);
    // Cut one, two and three bytes into the emoji's four: still text.
    const emoji = text.indexOf(0xf0);
    for (const cut of [1, 2, 3]) expect(looksLikeText(text.slice(0, emoji + cut))).toBe(true);
    // Cut inside a three-byte character too.
    const kanji = text.indexOf(0xe6);
    expect(looksLikeText(text.slice(0, kanji + 2))).toBe(true);
  });

  it("refuses bytes that are not UTF-8 anywhere, the last byte included, and NUL", () => {
    expect(looksLikeText(Uint8Array.of(...utf8('{"a": "'), 0xff, ...utf8('"}')))).toBe(false);
    // A lone continuation byte, an overlong lead and a surrogate at the very end are errors, not cuts.
    expect(looksLikeText(Uint8Array.of(...utf8('{"a": 1}'), 0x80))).toBe(false);
    expect(looksLikeText(Uint8Array.of(...utf8('{"a": 1}'), 0xc0))).toBe(false);
    expect(looksLikeText(Uint8Array.of(...utf8('{"a": 1}'), 0xed, 0xa0))).toBe(false);
    expect(looksLikeText(Uint8Array.of(...utf8('{"a": 1}'), 0x00))).toBe(false);
  });
});
