import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The engine calls validateOptions at start-up and prefixes each problem with `options.binary.`:
// a typo or a bad value must stop the scan before it starts, never be silently ignored.
describe("validateOptions", () => {
  it("accepts well-formed options and no options", () => {
    expect(plugin.validateOptions({ maxFindingsPerSource: 2 })).toEqual([]);
    expect(plugin.validateOptions({})).toEqual([]);
  });

  it.each([
    [{ maxFindings: 2 }, "maxFindings: unknown option"],
    [{ maxFindingsPerSource: 1.5 }, "maxFindingsPerSource: expected a positive integer"],
  ] as [Record<string, unknown>, string][])("rejects %j, naming the key", (options, message) => {
    const problems = plugin.validateOptions(options);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });
});
