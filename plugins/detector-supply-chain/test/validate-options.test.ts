import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

// The engine calls validateOptions at start-up and prefixes each problem with `options.supply-chain.`:
// a typo or a bad value must stop the scan before it starts, never be silently ignored.
describe("validateOptions", () => {
  it("accepts well-formed options and no options", () => {
    expect(
      plugin.validateOptions({
        denySha256: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        expectedSha256: { "*.bin": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
      }),
    ).toEqual([]);
    expect(plugin.validateOptions({})).toEqual([]);
  });

  it.each([
    [{ denySha265: [] }, "denySha265: unknown option"],
    [{ denySha256: ["not-a-digest"] }, "denySha256[0] must be a 64-hex SHA-256 digest"],
    [{ expectedSha256: { "*.bin": "md5:abc" } }, 'expectedSha256["*.bin"] must be'],
  ] as [Record<string, unknown>, string][])("rejects %j, naming the key", (options, message) => {
    const problems = plugin.validateOptions(options);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });
});
