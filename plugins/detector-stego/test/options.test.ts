import { optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, readOptions } from "../src/options.js";
import { optionsSchema } from "../src/options-schema.js";

const validateOptions = (options: Record<string, unknown>) => optionProblems(optionsSchema, options);

describe("options", () => {
  it("accepts the known options and reports bad ones by key", () => {
    expect(validateOptions({})).toEqual([]);
    expect(validateOptions({ maxFindingsPerRule: 5, statistics: false })).toEqual([]);
    expect(validateOptions({ statistic: true })).toEqual([expect.stringMatching(/^statistic: unknown option/)]);
    expect(validateOptions({ maxFindingsPerRule: 0 })).toEqual([expect.stringMatching(/^maxFindingsPerRule: /)]);
    expect(validateOptions({ statistics: "no" })).toEqual(['statistics: expected true or false, got "no"']);
  });

  it("fills defaults and falls back on invalid values", () => {
    expect(readOptions({})).toEqual(DEFAULT_OPTIONS);
    expect(readOptions({ maxFindingsPerRule: 3, statistics: false })).toEqual({
      maxFindingsPerRule: 3,
      statistics: false,
    });
    expect(readOptions({ maxFindingsPerRule: -1, statistics: 1 })).toEqual(DEFAULT_OPTIONS);
  });
});
