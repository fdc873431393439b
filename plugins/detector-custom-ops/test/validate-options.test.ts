import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The engine calls validateOptions at start-up and prefixes each problem with `options.custom-ops.`:
// a typo or a bad value must stop the scan before it starts, never be silently ignored.
describe("validateOptions", () => {
  it("accepts well-formed options and no options", () => {
    expect(plugin.validateOptions({ allowDomains: ["com.acme"] })).toEqual([]);
    expect(plugin.validateOptions({})).toEqual([]);
  });

  it.each([
    [{ allowDomain: ["com.acme"] }, "allowDomain: unknown option"],
    [{ allowNamespaces: [1] }, "allowNamespaces: must be an array of strings"],
  ] as [Record<string, unknown>, string][])("rejects %j, naming the key", (options, message) => {
    const problems = plugin.validateOptions(options);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });
});
