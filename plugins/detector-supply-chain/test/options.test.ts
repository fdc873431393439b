import { optionProblems } from "@modelaudit/core/options";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { OptionError, readOptions } from "../src/options.js";
import { optionsSchema } from "../src/options-schema.js";
import { encode, supplyChainOptions } from "./helpers.js";

const DIGEST = "a".repeat(64);

describe("options validation", () => {
  it("reads well-formed options", () => {
    expect(
      readOptions({
        denySha256: [DIGEST, { sha256: `sha256:${DIGEST.toUpperCase()}`, reason: "known bad" }],
        expectedSha256: { "models/*.bin": DIGEST, "*.gguf": [DIGEST, "b".repeat(64)] },
      }),
    ).toMatchObject({
      denySha256: [
        { sha256: DIGEST, reason: "listed in options.denySha256" },
        { sha256: DIGEST, reason: "known bad" },
      ],
      expectedSha256: [
        { pattern: "models/*.bin", digests: [DIGEST] },
        { pattern: "*.gguf", digests: [DIGEST, "b".repeat(64)] },
      ],
    });
    expect(readOptions({})).toMatchObject({ denySha256: [], expectedSha256: [] });
  });

  const malformed: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown field (typo)", { expectedSha256s: {} }, /options\.expectedSha256s: unknown option/],
    ["denySha256 not an array", { denySha256: DIGEST }, /options\.denySha256: must be an array/],
    ["a short digest", { denySha256: [DIGEST.slice(1)] }, /options\.denySha256\[0\]: must be a 64-hex/],
    ["a number", { denySha256: [DIGEST, 42] }, /options\.denySha256\[1\]/],
    [
      "an object without sha256",
      { denySha256: [{ reason: "x" }] },
      /options\.denySha256\[0\]: must be a SHA-256 digest or \{ sha256, reason \}/,
    ],
    ["an empty reason", { denySha256: [{ sha256: DIGEST, reason: " " }] }, /options\.denySha256\[0\]\.reason/],
    [
      "an unknown entry field",
      { denySha256: [{ sha256: DIGEST, note: "x" }] },
      /options\.denySha256\[0\]\.note: unknown option \(known: sha256, reason\)/,
    ],
    ["expectedSha256 an array", { expectedSha256: [DIGEST] }, /options\.expectedSha256: must be an object/],
    [
      "a pin that is not a digest",
      { expectedSha256: { "*.bin": "md5:abc" } },
      /options\.expectedSha256\["\*\.bin"\]: must be/,
    ],
    [
      "a bad digest in a pin list",
      { expectedSha256: { "*.bin": [DIGEST, "x"] } },
      /options\.expectedSha256\["\*\.bin"\]\[1\]/,
    ],
    ["an empty pin list", { expectedSha256: { "*.bin": [] } }, /at least one/],
    ["an empty pattern", { expectedSha256: { "": DIGEST } }, /empty path pattern/],
  ];
  for (const [name, options, message] of malformed) {
    it(`rejects ${name}, naming the field`, () => {
      expect(() => readOptions(options)).toThrow(OptionError);
      expect(() => readOptions(options)).toThrow(message);
      // The start-up check (zod) and the scan-time reader (no zod) refuse the same value at the same key.
      expect(optionProblems(optionsSchema, options).map((problem) => `options.${problem}`)).toEqual([
        expect.stringMatching(message),
      ]);
    });
  }

  it("a malformed option stops the scan with the field named rather than skipping the check", async () => {
    await expect(
      scanBytes("model.bin", encode("x"), [plugin], supplyChainOptions({ denySha256: ["not-a-digest"] })),
    ).rejects.toThrow(/options\.denySha256\[0\]/);
  });
});
