import { describe, expect, it } from "vitest";
import { sanitizeFileName } from "./file-name.js";

describe("sanitizeFileName", () => {
  it.each([
    ["model.safetensors", "model.safetensors"],
    ["../../etc/passwd", "passwd"],
    ["..\\..\\boot.ini", "boot.ini"],
    ["/abs/path/weights.bin", "weights.bin"],
    ["..hidden..pkl", "..hidden..pkl"],
    ["modèle ünïcode.pt", "modèle ünïcode.pt"],
  ])("keeps the base name of %j", (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each([
    [undefined],
    [""],
    ["."],
    [".."],
    ["dir/"],
    ["a/.."],
    ["tab\there"],
    ["nul\u0000byte"],
    ["del\u007f"],
    ["c1\u0085control"],
    ["é".repeat(128)],
    ["evil\u202egnp.pkl"],
    ["rtl\u200fmark.bin"],
    ["isolate\u2066x\u2069.pt"],
  ])("rejects %j", (input) => {
    expect(sanitizeFileName(input)).toBeUndefined();
  });
});
