import { describe, expect, it } from "vitest";
import { allowEntryRegExp } from "../src/allow-entry.js";
import { allowEntry, optionProblems, z } from "../src/option-schema.js";

describe("allow-list entries", () => {
  it("reads /source/flags as a regular expression without the stateful flags, anything else as written", () => {
    expect(allowEntryRegExp("AKIA1234")).toBeUndefined();
    expect(allowEntryRegExp("/^AKIA/")?.test("AKIAXYZ")).toBe(true);
    const expression = allowEntryRegExp("/test/giy");
    expect(expression?.flags).toBe("i");
    // Without `g` a second test of the same value gives the same answer.
    expect([expression?.test("TEST"), expression?.test("TEST")]).toEqual([true, true]);
    expect(() => allowEntryRegExp("/(/")).toThrow(SyntaxError);
  });

  it("the schema refuses an empty entry and a slashed entry that does not compile, with the engine's message", () => {
    const schema = z.strictObject({ allow: z.array(allowEntry()) });
    expect(optionProblems(schema, { allow: ["plain", "/ok/i"] })).toEqual([]);
    const problems = optionProblems(schema, { allow: ["", "/(/"] });
    expect(problems[0]).toBe('allow[0]: expected a non-empty string, got ""');
    expect(problems[1]).toMatch(/^allow\[1\]: Invalid regular expression/);
  });
});
